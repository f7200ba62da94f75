import { describe, expect, it } from "vitest";
import { html } from "./html";

describe("html", () => {
  it("escapes interpolated text, including attribute quotes", () => {
    expect(html`<p title="${'"><script>'}">${"<b>&'"}</p>`.value).toBe('<p title="&#34;&#62;&#60;script&#62;">&#60;b&#62;&#38;&#39;</p>');
  });

  it("keeps nested fragments and lists, and drops empty values", () => {
    const items = ["a", "<b>"].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}${null}${false}${undefined}</ul>`.value).toBe("<ul><li>a</li><li>&#60;b&#62;</li></ul>");
  });
});
