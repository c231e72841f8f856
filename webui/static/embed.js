/* Clio's embeddable search box.
 *
 *   <script src="https://CLIO-HOST/embed.js"></script>
 *   <clio-search></clio-search>
 *
 * A web component (shadow DOM) with suggestions as you type and results shown in place. It
 * calls the API where this script came from, unless `api="https://other-clio/"` says otherwise.
 * Attributes: api, label, placeholder, results (how many, 1-20), target (_blank, _top...),
 * label-hidden. Theme it with CSS custom properties on the element or any ancestor:
 * --clio-font, --clio-fg, --clio-bg, --clio-accent, --clio-accent-fg, --clio-link, --clio-muted,
 * --clio-border, --clio-mark, --clio-mark-fg, --clio-focus, --clio-radius; or with ::part(input),
 * ::part(button), ::part(listbox), ::part(results).
 *
 * Everything from the network is untrusted: titles are text, snippets keep only text and
 * <mark>, and links are http(s) URLs on the API's own origin.
 */
(() => {
  "use strict";
  if (!window.customElements || customElements.get("clio-search")) return;

  const SCRIPT_URL = document.currentScript && document.currentScript.src;
  const DEBOUNCE_MS = 150;
  const MIN_CHARS = 2;
  const TARGETS = new Set(["_blank", "_self", "_parent", "_top"]);
  const DROPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "IFRAME", "OBJECT", "EMBED",
    "SVG", "MATH", "TITLE", "TEXTAREA", "SELECT", "NOEMBED", "NOFRAMES", "XMP", "PLAINTEXT"]);

  const CSS = `
:host { display: block; position: relative; max-width: var(--clio-width, 40rem);
        font: var(--clio-font, inherit); color: var(--clio-fg, inherit); }
:host([hidden]), [hidden] { display: none !important; }
* { box-sizing: border-box; }
.box { background: var(--clio-bg, transparent); }
label { display: block; margin: 0 0 .3em; font-size: .9em; color: var(--clio-muted, inherit); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
                   clip: rect(0 0 0 0); white-space: nowrap; }
.row { display: flex; gap: .4em; }
.combo { position: relative; flex: 1; min-width: 0; }
input { width: 100%; font: inherit; margin: 0; padding: .45em .6em;
        border: 1px solid var(--clio-border, #8a8178); border-radius: var(--clio-radius, 4px);
        background: var(--clio-bg, Canvas); color: var(--clio-fg, CanvasText); }
button { font: inherit; margin: 0; padding: .45em .9em; cursor: pointer;
         border: 1px solid var(--clio-accent, #8a3b0f); border-radius: var(--clio-radius, 4px);
         background: var(--clio-accent, #8a3b0f); color: var(--clio-accent-fg, #fff); }
:focus-visible { outline: 3px solid var(--clio-focus, #1a5fb4); outline-offset: 2px; }
input:focus-visible { outline-offset: 0; }
[role="listbox"] { position: absolute; z-index: 1000; left: 0; right: 0; top: calc(100% + 2px);
        margin: 0; padding: .2em 0; list-style: none; max-height: 18em; overflow: auto;
        background: var(--clio-bg, Canvas); color: var(--clio-fg, CanvasText);
        border: 1px solid var(--clio-border, #8a8178); border-radius: var(--clio-radius, 4px);
        box-shadow: 0 4px 14px rgb(0 0 0 / .2); }
[role="option"] { display: flex; justify-content: space-between; gap: .8em; padding: .35em .6em;
        cursor: pointer; }
[role="option"]:hover { background: color-mix(in srgb, var(--clio-accent, #8a3b0f) 15%, transparent); }
[role="option"][aria-selected="true"] { background: var(--clio-accent, #8a3b0f);
        color: var(--clio-accent-fg, #fff); }
.kind { font-size: .85em; opacity: .8; white-space: nowrap; }
.status { margin: .6em 0 0; font-size: .9em; color: var(--clio-muted, inherit); }
.status:empty { display: none; }
.dym { margin: .3em 0 0; font-size: .9em; }
.link-button { font: inherit; padding: 0; border: 0; background: none; cursor: pointer;
        color: var(--clio-link, var(--clio-accent, #8a3b0f)); text-decoration: underline; }
.hits { list-style: none; margin: .5em 0 0; padding: 0; }
.hit { margin: 0 0 .9em; }
.title { margin: 0 0 .15em; font-weight: bold; font-size: 1.05em; }
a { color: var(--clio-link, var(--clio-accent, #8a3b0f)); }
.snippet { margin: 0; line-height: 1.5; }
mark { background: var(--clio-mark, #f7dc8f); color: var(--clio-mark-fg, #1d1a16);
       padding: 0 .1em; border-radius: 2px; }
.path { margin: .1em 0 0; font-size: .8em; opacity: .75; overflow-wrap: anywhere; }
.more { margin: .2em 0 0; font-size: .9em; }
`;

  let sheet = null;
  let instances = 0;

  function adoptStyles(root) {
    try {  // a constructed sheet works under a host page's strict style-src CSP
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
      }
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      const style = document.createElement("style");
      style.textContent = CSS;
      root.append(style);
    }
  }

  /** The API base URL (ending in "/"): the attribute, else this script's folder. */
  function apiBase(attribute) {
    const raw = attribute || (SCRIPT_URL ? new URL("./", SCRIPT_URL).href : "");
    if (!raw) return null;
    let url;
    try {
      url = new URL(raw, document.baseURI);
    } catch (e) {
      return null;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (!url.pathname.endsWith("/")) url.pathname += "/";
    url.search = "";
    url.hash = "";
    return url;
  }

  /** An absolute http(s) link on the API's own origin, or null (`javascript:` never survives). */
  function clioLink(base, path, params) {
    if (typeof path !== "string" || !path) return null;
    let url;
    try {
      url = new URL(path, base);
    } catch (e) {
      return null;
    }
    if ((url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== base.origin) {
      return null;
    }
    for (const [key, value] of Object.entries(params || {})) url.searchParams.set(key, value);
    return url.href;
  }

  function el(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Copy only text and <mark> elements from a parsed tree. */
  function copySafe(from, to, depth) {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.append(document.createTextNode(node.data));
      } else if (node.nodeType === Node.ELEMENT_NODE && depth < 16 &&
                 !DROPPED.has(node.nodeName.toUpperCase())) {
        if (node.nodeName.toUpperCase() === "MARK") {
          const mark = document.createElement("mark");
          copySafe(node, mark, depth + 1);
          to.append(mark);
        } else {
          copySafe(node, to, depth + 1);
        }
      }
    }
  }

  const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

  function decodeEntities(text) {
    return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X"
          ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
  }

  const MARK_TAG = /(<\/?mark>)/i;

  /** Clio's own snippets are escaped text and bare <mark>/</mark> tags: split, never parse. */
  function tokenized(html, fragment) {
    let mark = null;
    for (const part of html.split(MARK_TAG)) {
      if (/^<mark>$/i.test(part)) {
        mark = document.createElement("mark");
        fragment.append(mark);
      } else if (/^<\/mark>$/i.test(part)) {
        mark = null;
      } else if (part) {
        const text = decodeEntities(part.replace(/<[^>]*>?/g, ""));
        (mark || fragment).append(document.createTextNode(text));
      }
    }
  }

  /** A snippet (HTML from the API) as a fragment of text nodes and <mark> elements only. */
  function snippetFragment(html) {
    const fragment = document.createDocumentFragment();
    if (typeof html !== "string") return fragment;
    if (!html.split(MARK_TAG).some((part) => part.includes("<") && !MARK_TAG.test(part))) {
      tokenized(html, fragment);  // the usual case
      return fragment;
    }
    try {  // unexpected markup: parse it in an inert document (nothing runs, nothing loads)
      const doc = new DOMParser().parseFromString(html, "text/html");
      copySafe(doc.body, fragment, 0);
    } catch (e) {  // e.g. Trusted Types forbid parsing strings
      tokenized(html, fragment);
    }
    return fragment;
  }

  class ClioSearch extends HTMLElement {
    constructor() {
      super();
      this.uid = ++instances;
      this.suggestions = [];
      this.active = -1;
      this.timer = 0;
      this.suggestRequest = null;
      this.searchRequest = null;
    }

    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: "open" });
      adoptStyles(root);
      this.base = apiBase(this.getAttribute("api"));

      const box = el("div", { class: "box", part: "box" });
      const form = el("form", { role: "search", part: "form" });
      if (this.getAttribute("label")) form.setAttribute("aria-label", this.getAttribute("label"));
      const label = el("label", { for: "input", part: "label" },
        this.getAttribute("label") || "Search the history pages");
      if (this.hasAttribute("label-hidden")) label.className = "visually-hidden";
      const row = el("div", { class: "row" });
      const combo = el("div", { class: "combo" });
      this.input = el("input", {
        id: "input", type: "text", name: "q", part: "input", role: "combobox",
        "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "listbox",
        autocomplete: "off", autocapitalize: "off", spellcheck: "false", maxlength: "500",
        enterkeyhint: "search", inputmode: "search",
        placeholder: this.getAttribute("placeholder") || "People, places, periods…",
      });
      this.listbox = el("ul", { id: "listbox", role: "listbox", part: "listbox",
        "aria-label": "Suggestions" });
      this.listbox.hidden = true;
      const button = el("button", { type: "submit", part: "button" }, "Search");
      combo.append(this.input, this.listbox);
      row.append(combo, button);
      form.append(label, row);

      this.status = el("p", { class: "status", role: "status", "aria-live": "polite" });
      this.dym = el("p", { class: "dym" });
      this.dym.hidden = true;
      this.results = el("div", { class: "results", part: "results" });
      this.results.hidden = true;
      this.hits = el("ol", { class: "hits", "aria-label": "Search results" });
      this.more = el("p", { class: "more" });
      this.results.append(this.dym, this.hits, this.more);
      box.append(form, this.status, this.results);
      root.append(box);

      if (!this.base) {
        this.status.textContent = "This search box does not know where its Clio is (api=).";
      }
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.search(this.input.value);
      });
      this.input.addEventListener("input", () => this.onInput());
      this.input.addEventListener("keydown", (event) => this.onKeydown(event));
      this.listbox.addEventListener("mousedown", (event) => event.preventDefault());
      this.listbox.addEventListener("click", (event) => {
        const option = event.target.closest("[role=option]");
        if (option) this.choose(Number(option.dataset.index));
      });
      box.addEventListener("focusout", (event) => {
        if (!event.relatedTarget || !root.contains(event.relatedTarget)) this.close();
      });
    }

    disconnectedCallback() {
      clearTimeout(this.timer);
      if (this.suggestRequest) this.suggestRequest.abort();
      if (this.searchRequest) this.searchRequest.abort();
    }

    get perPage() {
      const n = parseInt(this.getAttribute("results") || "5", 10);
      return Number.isFinite(n) ? Math.min(Math.max(n, 1), 20) : 5;
    }

    onInput() {
      clearTimeout(this.timer);
      const q = this.input.value.trim();
      if (q.length < MIN_CHARS || !this.base) {
        this.close();
        return;
      }
      this.timer = setTimeout(() => this.suggest(q), DEBOUNCE_MS);
    }

    async suggest(q) {
      if (this.suggestRequest) this.suggestRequest.abort();
      const controller = new AbortController();
      this.suggestRequest = controller;
      try {
        const url = new URL("api/suggest", this.base);
        url.searchParams.set("q", q);
        const response = await fetch(url, { signal: controller.signal, credentials: "omit" });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const data = await response.json();
        if (controller !== this.suggestRequest || this.input.value.trim() !== q) return;
        this.showSuggestions(Array.isArray(data.suggestions) ? data.suggestions : []);
      } catch (e) {
        if (e.name !== "AbortError") this.close();
      }
    }

    showSuggestions(items) {
      const seen = new Set();
      this.suggestions = [];
      for (const item of items) {
        if (!item || typeof item.label !== "string" || !item.label) continue;
        const key = `${item.kind}\u0000${item.label}`;
        if (seen.has(key)) continue;
        seen.add(key);
        this.suggestions.push(item);
      }
      this.active = -1;
      this.input.removeAttribute("aria-activedescendant");
      this.listbox.replaceChildren(...this.suggestions.map((item, i) => {
        const option = el("li", { id: `option-${i}`, role: "option", "aria-selected": "false",
          part: "option" });
        option.dataset.index = String(i);
        const pages = Number.isInteger(item.pages) ? item.pages : 0;
        const kind = item.kind === "person"
          ? `person · ${pages} page${pages === 1 ? "" : "s"}` : "page";
        option.append(el("span", { class: "label" }, item.label),
          el("span", { class: "kind" }, kind));
        return option;
      }));
      if (this.suggestions.length) this.open();
      else this.close();
    }

    open() {
      this.listbox.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
    }

    close() {
      clearTimeout(this.timer);
      this.listbox.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      this.input.removeAttribute("aria-activedescendant");
      this.active = -1;
      for (const option of this.listbox.children) option.setAttribute("aria-selected", "false");
    }

    get expanded() {
      return !this.listbox.hidden;
    }

    move(delta) {
      const n = this.suggestions.length;
      if (!n) return;
      if (!this.expanded) this.open();
      this.active = this.active < 0 ? (delta > 0 ? 0 : n - 1) : (this.active + delta + n) % n;
      [...this.listbox.children].forEach((option, i) => {
        option.setAttribute("aria-selected", String(i === this.active));
      });
      const current = this.listbox.children[this.active];
      this.input.setAttribute("aria-activedescendant", current.id);
      current.scrollIntoView({ block: "nearest" });
    }

    choose(index) {
      const item = this.suggestions[index];
      if (!item) return;
      this.input.value = item.label;
      this.close();
      this.search(item.label);
    }

    onKeydown(event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp":
          event.preventDefault();
          if (this.suggestions.length) this.move(event.key === "ArrowDown" ? 1 : -1);
          else if (this.input.value.trim().length >= MIN_CHARS) {
            this.suggest(this.input.value.trim());
          }
          break;
        case "Enter":
          if (this.expanded && this.active >= 0) {
            event.preventDefault();
            this.choose(this.active);
          }  // otherwise the form submits and searches
          break;
        case "Escape":
          if (this.expanded) {
            event.preventDefault();
            this.close();
          } else if (!this.results.hidden) {
            event.preventDefault();
            this.clearResults();
          } else if (this.input.value) {
            event.preventDefault();
            this.input.value = "";
          }
          break;
        case "Tab":
          this.close();
          break;
        default:
      }
    }

    clearResults() {
      if (this.searchRequest) this.searchRequest.abort();
      this.results.hidden = true;
      this.hits.replaceChildren();
      this.more.replaceChildren();
      this.status.textContent = "";
    }

    async search(raw) {
      const q = (raw || "").trim();
      this.close();
      if (!q || !this.base) return;
      if (this.searchRequest) this.searchRequest.abort();
      const controller = new AbortController();
      this.searchRequest = controller;
      this.status.textContent = "Searching…";
      this.results.setAttribute("aria-busy", "true");
      try {
        const url = new URL("api/search", this.base);
        url.searchParams.set("q", q);
        url.searchParams.set("per_page", String(this.perPage));
        const response = await fetch(url, { signal: controller.signal, credentials: "omit" });
        const data = await response.json();
        if (controller !== this.searchRequest) return;
        if (!response.ok) throw new Error(typeof data.error === "string" ? data.error : "");
        this.showResults(q, data);
      } catch (e) {
        if (e.name === "AbortError") return;
        this.results.hidden = true;
        this.status.textContent = e.message
          ? `Search failed: ${e.message}` : "Search is not available right now.";
      } finally {
        if (controller === this.searchRequest) this.results.removeAttribute("aria-busy");
      }
    }

    showResults(q, data) {
      const hits = Array.isArray(data.results) ? data.results : [];
      const total = Number.isInteger(data.total) ? data.total : hits.length;
      this.status.textContent = total === 0 ? `No pages found for “${q}”.`
        : `${total.toLocaleString("en")} page${total === 1 ? "" : "s"} found for “${q}”.`;
      const target = this.getAttribute("target");
      const linkAttributes = TARGETS.has(target) ? { target } : {};
      if (target === "_blank") linkAttributes.rel = "noopener noreferrer";

      this.dym.replaceChildren();
      this.dym.hidden = typeof data.did_you_mean !== "string" || !data.did_you_mean;
      if (!this.dym.hidden) {
        const suggestion = data.did_you_mean;
        const button = el("button", { type: "button", class: "link-button" }, suggestion);
        button.addEventListener("click", () => {
          this.input.value = suggestion;
          this.search(suggestion);
        });
        this.dym.append("Did you mean ", button, "?");
      }

      this.hits.replaceChildren(...hits.map((hit) => {
        const item = el("li", { class: "hit", part: "hit" });
        const title = el("p", { class: "title" });
        const text = (typeof hit.title === "string" && hit.title) ||
          (typeof hit.path === "string" && hit.path) || "Untitled page";
        const href = clioLink(this.base, hit.url, { q });
        title.append(href ? el("a", { ...linkAttributes, href }, text) : el("span", {}, text));
        const snippet = el("p", { class: "snippet" });
        snippet.append(snippetFragment(hit.snippet));
        item.append(title, snippet);
        if (typeof hit.path === "string") item.append(el("p", { class: "path" }, hit.path));
        return item;
      }));

      this.more.replaceChildren();
      if (total > hits.length) {
        const href = clioLink(this.base, "search", { q });
        if (href) {
          this.more.append(el("a", { ...linkAttributes, href },
            `All ${total.toLocaleString("en")} results on Clio →`));
        }
      }
      this.results.hidden = false;
    }
  }

  customElements.define("clio-search", ClioSearch);
})();
