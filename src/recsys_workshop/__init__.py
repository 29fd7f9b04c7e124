"""recsys-workshop."""
