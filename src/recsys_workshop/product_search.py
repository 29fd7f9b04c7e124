"""Chapter 7's product search: which skus' texts hold a piece of text, best sellers first.

The service answers ``GET /products?q=`` while a customer types, so a search
must not read the whole catalogue. :class:`ProductSearch` keeps, for every
three characters in a row (a trigram) of any sku's text, the skus whose text
holds them. A text can only hold ``q`` if it holds each of ``q``'s trigrams,
so only the skus of ``q``'s rarest trigram are read, in order, until ``n``
match. Shorter queries, and queries whose every trigram is common (they match
early), scan one string of the whole catalogue in C instead. This is the idea
of PostgreSQL's ``pg_trgm`` indexes, in a few lines.
"""

import bisect
import itertools
from collections.abc import Sequence

__all__ = ["ProductSearch"]

#: The length of the pieces of text the index keeps.
GRAM = 3


class ProductSearch:
    """The skus whose text holds a query, in the order the texts were given.

    Parameters
    ----------
    texts : sequence of str
        One text per sku (for example its stock code and description), in the
        order answers list them (best sellers first). Case is ignored.

    Examples
    --------
    >>> search = ProductSearch(["85123A White heart", "22423 Regency cake stand",
    ...                         "47566 Party bunting", "84879 Heart bunting"])
    >>> search.find("HEART", 10), search.find("bunting", 1), search.find("zebra", 10)
    ([0, 3], [2], [])
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.lines = [text.casefold().replace("\n", " ") for text in texts]
        postings: dict[str, list[int]] = {}
        for line_number, line in enumerate(self.lines):
            for gram in {line[start:start + GRAM] for start in range(len(line) - GRAM + 1)}:
                postings.setdefault(gram, []).append(line_number)
        self.postings = postings
        # The scan: every line in one string, each ending at a known offset.
        self.text = "\n".join(self.lines) + "\n"
        self.line_ends = list(itertools.accumulate(len(line) + 1 for line in self.lines))

    def find(self, query: str, n: int) -> list[int]:
        """The positions (in ``texts``) of the first ``n`` texts that hold ``query``.

        Parameters
        ----------
        query : str
            The text to find, in any case.
        n : int
            The most positions to return.

        Returns
        -------
        list of int
            Ascending: the first texts, in the order given, that hold ``query``.
        """
        needle = query.casefold()
        if "\n" in needle:  # no line holds one
            return []
        if len(needle) >= GRAM:
            rarest = min((self.postings.get(needle[start:start + GRAM], [])
                          for start in range(len(needle) - GRAM + 1)), key=len)
            if len(rarest) * 4 <= len(self.lines):
                lines = self.lines
                found = []
                for line_number in rarest:
                    if needle in lines[line_number]:
                        found.append(line_number)
                        if len(found) == n:
                            break
                return found
        return self._scan(needle, n)

    def _scan(self, needle: str, n: int) -> list[int]:
        """:meth:`find` by reading the whole catalogue until ``n`` lines match."""
        found: list[int] = []
        position = self.text.find(needle)
        while position >= 0 and len(found) < n:
            line_number = bisect.bisect_right(self.line_ends, position)
            found.append(line_number)
            position = self.text.find(needle, self.line_ends[line_number])
        return found
