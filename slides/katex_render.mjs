// Typeset the deck's formulas at build time, so that the deck needs no JavaScript for them.
// Reads JSON [[tex, displayMode], ...] on stdin, writes JSON [html, ...] on stdout.
// A formula KaTeX cannot read stops the build, naming the formula.
import { readFileSync } from "node:fs";
import katex from "katex";

const formulas = JSON.parse(readFileSync(0, "utf8"));
const rendered = [];
for (const [tex, displayMode] of formulas) {
  try {
    rendered.push(katex.renderToString(tex, { displayMode, throwOnError: true }));
  } catch (error) {
    process.stderr.write(`KaTeX cannot typeset $${tex}$: ${error.message}\n`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(rendered));
