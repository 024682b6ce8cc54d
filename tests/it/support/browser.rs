//! A real browser for the Mini App: headless Chromium (Debian's `chromium`) driven over
//! WebDriver (`chromedriver`, fantoccini), with a stand-in for `window.Telegram.WebApp` put in
//! every page before its scripts run (Chrome's `Page.addScriptToEvaluateOnNewDocument`): it
//! carries signed `initData` and Telegram's theme colours, and records `openInvoice` and
//! `openLink`, as Telegram's clients would receive them.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Telegram's colours, as its clients pass them in `themeParams`.
pub const LIGHT: &str = r##"{"bg_color":"#ffffff","text_color":"#000000","hint_color":"#999999","link_color":"#2481cc","button_color":"#2481cc","button_text_color":"#ffffff","secondary_bg_color":"#efeff3"}"##;
pub const DARK: &str = r##"{"bg_color":"#17212b","text_color":"#f5f5f5","hint_color":"#708499","link_color":"#6ab3f3","button_color":"#5288c1","button_text_color":"#ffffff","secondary_bg_color":"#232e3c"}"##;

/// One browser: its driver process and the WebDriver session.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// `Page.addScriptToEvaluateOnNewDocument` through chromedriver's CDP endpoint.
#[derive(Debug)]
struct AddScript(String);

impl WebDriverCompatibleCommand for AddScript {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({
            "cmd": "Page.addScriptToEvaluateOnNewDocument",
            "params": { "source": self.0 },
        });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// The stand-in for Telegram's `WebApp` object, with `init_data` and `theme` (JSON).
fn stand_in(init_data: &str, theme: &str) -> String {
    let init = serde_json::to_string(init_data).unwrap();
    format!(
        r#"(() => {{
  const theme = {theme};
  window.__souk = {{ invoices: [], links: [] }};
  const webApp = {{
    initData: {init}, initDataUnsafe: {{ start_param: null }}, themeParams: theme,
    ready() {{}}, expand() {{}},
    openInvoice(url, done) {{ window.__souk.invoices.push(url); window.__souk.done = done; }},
    openLink(url) {{ window.__souk.links.push(url); }},
  }};
  Object.defineProperty(window, "Telegram", {{ value: {{ WebApp: webApp }}, writable: false }});
  const paint = () => Object.entries(theme).forEach(([k, v]) =>
    document.documentElement.style.setProperty("--tg-theme-" + k.replace(/_/g, "-"), v));
  if (document.documentElement) paint();
  document.addEventListener("DOMContentLoaded", paint);
}})();"#
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts chromedriver and a headless Chromium whose pages see Telegram's stand-in.
pub async fn open(init_data: &str, theme: &str) -> Browser {
    assert!(
        std::path::Path::new(CHROMEDRIVER).exists(),
        "{CHROMEDRIVER} is missing: apt-get install chromium chromium-driver (.ci/run does)"
    );
    let port = free_port();
    let driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let url = format!("http://127.0.0.1:{port}/");
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http
            .get(format!("{url}status"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "chrome".into());
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=420,860", "--lang=en"],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&url)
        .await
        .expect("a WebDriver session");
    client
        .issue_cmd(AddScript(stand_in(init_data, theme)))
        .await
        .expect("the stand-in script");
    Browser { client, driver }
}

/// Waits until `script` (a JS expression) is true in the page.
pub async fn until(client: &Client, what: &str, script: &str) {
    for _ in 0..150 {
        let ok = client
            .execute(&format!("return !!({script});"), vec![])
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if ok {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let body = client
        .execute("return document.body.innerText;", vec![])
        .await
        .unwrap_or_default();
    panic!("timed out waiting for {what}; the page reads: {body}");
}

/// Saves a screenshot under `target/miniapp-screenshots/<name>.png`.
pub async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("a screenshot");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/miniapp-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// Clicks the element `css` selects.
pub async fn click(client: &Client, css: &str) {
    client
        .find(fantoccini::Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .click()
        .await
        .unwrap();
}
