import fc from "fast-check";
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { escapeHtml, html, trustedMarkup } from "./html.js";

describe("html", () => {
  it("escapes every hole: a payload becomes text, never an element or attribute", () => {
    const payload = `<script>alert(1)</script><img src=x onerror="alert(2)">'"&`;
    const markup = html`<p title="${payload}">${payload}</p>`.toString();
    expect(markup).not.toContain("<script");
    expect(markup).not.toContain("<img");
    const { document } = parseHTML(`<!doctype html><html><body>${markup}</body></html>`);
    expect(document.body.children).toHaveLength(1);
    expect(document.body.children[0]!.textContent).toBe(payload);
    expect(document.body.children[0]!.getAttribute("title")).toBe(payload);
  });

  it("any string survives a hole in text and in an attribute as itself (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const clean = text.replaceAll("\u0000", "").replaceAll("\r", ""); // the HTML parser normalises NUL and CR
        const { document } = parseHTML(
          `<!doctype html><html><body>${html`<p data-x="${clean}">${clean}</p>`}</body></html>`,
        );
        const [p, ...rest] = [...document.body.children];
        expect(rest).toHaveLength(0);
        expect(p!.textContent).toBe(clean);
        expect(p!.getAttribute("data-x")).toBe(clean);
      }),
    );
  });

  it("nests markup and lists without escaping them again; null and false render nothing", () => {
    const inner = html`<b>${"a<b"}</b>`;
    expect(html`<p>${[inner, " & ", 3, null, false, undefined]}</p>`.toString()).toBe(
      "<p><b>a&lt;b</b> &amp; 3</p>",
    );
    expect(html`${trustedMarkup("<svg></svg>")}`.toString()).toBe("<svg></svg>");
  });

  it("escapeHtml maps the five special characters", () => {
    expect(escapeHtml(`&<>"'x`)).toBe("&amp;&lt;&gt;&quot;&#39;x");
  });
});
