// The demo page of chapter 7's service: plain fetch calls to the same server, no build step.
"use strict";

const basket = new Map();  // stock code -> quantity

async function getJson(url, options) {
  const response = await fetch(url, options);
  const body = await response.json();
  if (!response.ok) {
    const detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
    throw new Error(`${response.status}: ${detail}`);
  }
  return body;
}

function productItem(product, actions, popular) {
  const item = document.createElement("li");
  const code = document.createElement("span");
  code.className = "code";
  code.textContent = product.stock_code;
  item.append(code, document.createTextNode(` ${product.description || "(no description)"}`));
  if (product.quantity !== undefined) {
    item.append(document.createTextNode(` x ${product.quantity}`));
  }
  if (product.score !== undefined) {
    const score = document.createElement("span");
    score.className = "score";
    // A popularity score counts customers; the others are similarities or ALS scores.
    score.textContent = popular
      ? `bought by ${product.score} customers` : `score ${product.score.toFixed(3)}`;
    item.append(score);
  }
  for (const [label, handler] of actions || []) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = label;
    button.addEventListener("click", () => handler(product));
    item.append(button);
  }
  return item;
}

function fill(listId, products, actions, popular) {
  const list = document.getElementById(listId);
  list.replaceChildren(...products.map((product) => productItem(product, actions, popular)));
}

const shopActions = [["also bought", showSimilar], ["add to basket", addToBasket]];

async function search(text) {
  if (!text.trim()) {
    fill("search-results", []);
    return;
  }
  const answer = await getJson(`/products?q=${encodeURIComponent(text)}&n=8`);
  const options = answer.products.map((product) => {
    const option = document.createElement("option");
    option.value = product.stock_code;
    option.label = product.description;
    return option;
  });
  document.getElementById("suggestions").replaceChildren(...options);
  fill("search-results", answer.products, shopActions);
}

async function showSimilar(product) {
  const answer = await getJson(`/similar/${encodeURIComponent(product.stock_code)}?n=8`);
  document.getElementById("product-name").textContent =
    `${answer.product.description} (${answer.product.stock_code})`;
  fill("also-bought", answer.products, shopActions);
  document.getElementById("product-section").hidden = false;
}

async function showCustomer(customerId) {
  const status = document.getElementById("customer-status");
  status.textContent = "";
  const answer = await getJson(`/recommend/${encodeURIComponent(customerId)}?n=10`);
  document.getElementById("customer-source").textContent = answer.source;
  fill("customer-recommendations", answer.products, shopActions,
       answer.source === "popularity");
  if (answer.known) {
    const bought = await getJson(`/customers/${encodeURIComponent(customerId)}/purchases`);
    fill("customer-purchases", bought.products.slice(0, 15));
  } else {
    fill("customer-purchases", []);
    status.textContent = `Customer ${customerId} is new to the model: best sellers instead.`;
  }
}

function addToBasket(product) {
  basket.set(product.stock_code, (basket.get(product.stock_code) || 0) + (product.add || 1));
  return updateBasket();
}

async function updateBasket() {
  const items = [...basket].map(([code, quantity]) => {
    const item = document.createElement("li");
    item.textContent = `${code} x ${quantity}`;
    return item;
  });
  document.getElementById("basket").replaceChildren(...items);
  const answer = await getJson("/recommend?n=10", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(Object.fromEntries(basket)),
  });
  document.getElementById("basket-source").textContent = answer.source;
  document.getElementById("basket-status").textContent = answer.unknown.length
    ? `Unknown stock codes, left out: ${answer.unknown.join(", ")}` : "";
  fill("basket-recommendations", answer.products, shopActions, answer.source === "popularity");
}

function reportTo(statusId, promise) {
  promise.catch((error) => { document.getElementById(statusId).textContent = error.message; });
}

document.addEventListener("DOMContentLoaded", () => {
  let pending;
  document.getElementById("search").addEventListener("input", (event) => {
    clearTimeout(pending);
    pending = setTimeout(() => reportTo("customer-status", search(event.target.value)), 150);
  });
  document.getElementById("customer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    reportTo("customer-status", showCustomer(document.getElementById("customer").value));
  });
  document.getElementById("basket-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = document.getElementById("basket-code").value.trim();
    const add = Number(document.getElementById("basket-quantity").value);
    reportTo("basket-status", addToBasket({ stock_code: code, add }));
  });
  document.getElementById("basket-clear").addEventListener("click", () => {
    basket.clear();
    reportTo("basket-status", updateBasket());
  });
  reportTo("basket-status", updateBasket());
});
