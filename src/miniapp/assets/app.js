// souk's storefront in a Telegram Mini App: the shop, search as you type, a product's page,
// checkout on every rail, and the buyer's purchases. Every call carries Telegram's initData.
"use strict";
(function () {
  const tg = window.Telegram && window.Telegram.WebApp;
  const initData = tg ? tg.initData : "";
  const view = document.getElementById("view");
  const search = document.getElementById("search");
  const back = document.getElementById("back");
  let texts = {};
  let history = [];
  let polling = null;

  const t = (key) => texts[key] || key;

  async function api(path, options) {
    const init = Object.assign({ headers: {} }, options || {});
    init.headers["Authorization"] = "tma " + initData;
    if (init.body) init.headers["Content-Type"] = "application/json";
    const resp = await fetch(path, init);
    let body = null;
    try { body = await resp.json(); } catch (e) { body = null; }
    if (!resp.ok) {
      const message = body && body.message ? body.message : t("app-error");
      throw new Error(message);
    }
    return body;
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "onclick") node.addEventListener("click", v);
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    });
    (children || []).forEach((c) => node.appendChild(c));
    return node;
  }

  function show(nodes, canGoBack) {
    if (polling) { clearInterval(polling); polling = null; }
    view.replaceChildren(...nodes);
    back.hidden = !canGoBack;
    window.scrollTo(0, 0);
  }

  function go(page) {
    history.push(page);
    page();
  }

  function fail(e) {
    show([el("p", { class: "hint", text: e.message || t("app-error") })], history.length > 1);
  }

  function productCard(p) {
    const meta = [p.rating_shown, p.kind_shown].filter(Boolean).join(" · ");
    return el("button", { class: "card", "data-product": String(p.id), onclick: () => go(() => product(p.id)) }, [
      el("span", { class: "price", text: p.total_shown }),
      el("div", { text: p.title }),
      el("div", { class: "meta", text: meta }),
    ]);
  }

  function list(products) {
    if (!products.length) return [el("p", { class: "hint", text: t("app-no-results") })];
    return products.map(productCard);
  }

  async function home() {
    try {
      const shop = await api("/api/app/catalog");
      const chips = shop.categories.map((c) =>
        el("button", { class: "chip", onclick: () => go(() => category(c)) , text: c.name }));
      show([
        el("h2", { text: t("app-categories") }), el("div", { class: "chips" }, chips),
        ...(shop.best_rated.length ? [el("h2", { text: t("app-best-rated") }), ...list(shop.best_rated)] : []),
        el("h2", { text: t("app-newest") }), ...list(shop.newest),
      ], false);
    } catch (e) { fail(e); }
  }

  async function category(c) {
    try {
      const found = await api("/api/app/search?category=" + encodeURIComponent(c.id));
      show([el("h1", { text: c.name }), ...list(found)], true);
    } catch (e) { fail(e); }
  }

  let typing = null;
  search.addEventListener("input", () => {
    clearTimeout(typing);
    const q = search.value.trim();
    typing = setTimeout(async () => {
      if (!q) { history = [home]; home(); return; }
      try {
        const found = await api("/api/app/search?q=" + encodeURIComponent(q));
        history = [home];
        show([el("h2", { text: t("app-results") }), ...list(found)], true);
      } catch (e) { fail(e); }
    }, 250);
  });

  async function product(id) {
    try {
      const [p, ways] = await Promise.all([api("/api/app/products/" + id), api("/api/app/ways")]);
      const buttons = ways.map((w) => el("button", {
        class: w.code === "xtr" ? "pay" : "pay second", "data-code": w.code,
        text: w.code === "xtr" && p.stars_shown ? p.stars_shown : w.label,
        onclick: () => (w.needs_phone ? askPhone(p, w) : pay(p, w.code)),
      }));
      show([
        ...(p.has_cover ? [el("img", { class: "cover", src: "/covers/" + p.id, alt: "" })] : []),
        el("h1", { text: p.title }),
        el("p", { class: "hint", text: [p.rating_shown, p.kind_shown].filter(Boolean).join(" · ") }),
        el("p", { text: p.description }),
        el("p", { class: "done", text: p.total_shown }),
        ...buttons,
        el("p", { class: "hint", "data-seller": "", text: "👤 " + [p.seller.name, p.seller.rating_shown].filter(Boolean).join(" · ") }),
        ...p.reviews_list.map((r) => el("div", { class: "box" }, [
          el("div", { text: "★".repeat(r.stars) + "☆".repeat(5 - r.stars) }),
          ...(r.comment ? [el("p", { text: r.comment })] : []),
          ...(r.answer ? [el("p", { class: "hint", text: "↳ " + r.answer })] : []),
        ])),
      ], true);
    } catch (e) { fail(e); }
  }

  // Mobile money: the number the provider bills, then its page.
  function askPhone(p, w) {
    const input = el("input", { id: "phone", type: "tel", autocomplete: "tel", placeholder: "+221 77 123 45 67" });
    const error = el("p", { class: "hint" });
    show([el("h1", { text: p.title }), el("p", { text: t("app-phone") }), input, error,
      el("button", { class: "pay", text: t("app-phone-go") + " · " + w.label, onclick: () => pay(p, w.code, input.value, error) }),
    ], true);
  }

  async function pay(p, code, phone, error) {
    try {
      const bill = await api("/api/app/checkout", {
        method: "POST", body: JSON.stringify({ product: p.id, code: code, phone: phone || null }),
      });
      if (bill.kind === "invoice") {
        if (tg && tg.openInvoice) tg.openInvoice(bill.link, (status) => watch(bill.order, status));
        waiting(p, bill, []);
      } else if (bill.kind === "link") {
        if (tg && tg.openLink) tg.openLink(bill.url);
        waiting(p, bill, [el("button", { class: "pay second", text: t("app-open-checkout"),
          onclick: () => tg && tg.openLink && tg.openLink(bill.url) })]);
      } else {
        const copy = (value) => el("button", { class: "pay second", text: t("app-copy") + " " + value,
          onclick: (ev) => { navigator.clipboard && navigator.clipboard.writeText(value);
            ev.target.textContent = t("app-copied"); } });
        waiting(p, bill, [el("div", { class: "box" }, [
          bill.qr ? el("img", { src: bill.qr, alt: bill.uri }) : el("span"),
          el("p", { text: bill.instructions }),
          el("p", { id: "address", text: bill.address }),
        ]), copy(bill.amount), copy(bill.address)]);
      }
    } catch (e) { if (error) error.textContent = e.message; else fail(e); }
  }

  function waiting(p, bill, extra) {
    const status = el("p", { id: "status", class: "hint", text: t("app-waiting") });
    show([el("h1", { text: p.title }), ...extra, status], true);
    polling = setInterval(() => watch(bill.order), 3000);
  }

  async function watch(order, invoiceStatus) {
    const status = document.getElementById("status");
    if (!status) return;
    if (invoiceStatus === "failed" || invoiceStatus === "cancelled") {
      status.textContent = t("app-failed");
      return;
    }
    try {
      const o = await api("/api/app/orders/" + order);
      if (o.status === "finished") {
        status.textContent = t("app-delivered");
        status.className = "done";
        if (polling) { clearInterval(polling); polling = null; }
      } else if (o.status === "failed" || o.status === "expired") {
        status.textContent = t("app-failed");
      }
    } catch (e) { status.textContent = e.message; }
  }

  async function purchases() {
    try {
      const bought = await api("/api/app/purchases");
      const rows = bought.map((b) => el("div", { class: "card" }, [
        el("span", { class: "price", text: b.total_shown }), el("div", { text: b.title }),
        el("div", { class: "meta", text: "#" + b.order }),
        ...(b.downloadable ? [el("button", { class: "pay second", "data-download": String(b.order),
          text: t("app-download"), onclick: async (ev) => {
            try {
              const link = await api("/api/app/purchases/" + b.order + "/link");
              if (tg && tg.openLink) tg.openLink(link.url); else window.open(link.url, "_blank");
            } catch (e) { ev.target.textContent = e.message; }
          } })] : []),
        el("button", { class: "pay second", "data-resend": String(b.order), text: t("app-resend"),
          onclick: async (ev) => {
            try {
              await api("/api/app/purchases/" + b.order + "/resend", { method: "POST" });
              ev.target.textContent = t("app-resent");
            } catch (e) { ev.target.textContent = e.message; }
          } }),
      ]));
      show([el("h1", { text: t("app-purchases") }),
        ...(rows.length ? rows : [el("p", { class: "hint", text: t("app-no-purchases") })])], false);
    } catch (e) { fail(e); }
  }

  back.addEventListener("click", () => {
    history.pop();
    const previous = history[history.length - 1] || home;
    previous();
  });
  document.getElementById("nav-shop").addEventListener("click", () => { history = [home]; home(); });
  document.getElementById("nav-purchases").addEventListener("click", () => { history = [purchases]; purchases(); });

  async function start() {
    if (tg) { tg.ready(); tg.expand(); }
    try {
      const me = await api("/api/app/me");
      texts = me.texts;
      document.documentElement.lang = me.language;
    } catch (e) { fail(e); return; }
    search.placeholder = t("app-search");
    document.getElementById("nav-shop").textContent = t("app-shop");
    document.getElementById("nav-purchases").textContent = t("app-purchases");
    const start = tg && tg.initDataUnsafe ? tg.initDataUnsafe.start_param : null;
    history = [home];
    // A product to open first: a startapp link (p_<id>) or a card's button (?product=<id>).
    const linked = /^p_(\d+)$/.exec(start || "");
    const asked = /^\d+$/.exec(new URLSearchParams(location.search).get("product") || "");
    const wanted = linked ? linked[1] : asked ? asked[0] : null;
    if (wanted) go(() => product(Number(wanted))); else home();
  }
  start();
})();
