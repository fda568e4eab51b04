//! What every request meets first, on every route and method, before any of its body is read:
//! the host it was addressed to, the access token, and — for anything but a read — the site it
//! was sent from. The refusals here carry nothing of the server's: no token, no path.

use super::{AppState, Config, html, page, plain, wants_html};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;

/// The token this request itself presented, once it matched (`None` when the service has none).
/// Pages carry this one on in their links and form, never the configured one.
#[derive(Clone, Debug, Default)]
pub struct Presented(pub Option<String>);

pub(super) async fn guard(State(s): State<AppState>, mut req: Request, next: Next) -> Response {
    let as_html = wants_html(req.headers());
    let host = request_host(&req);
    if !host_allowed(&s.config, host.as_deref()) {
        let text = "本服务只接受以本机地址打开的请求（如 http://127.0.0.1:端口/）：请用启动服务时显示的网址打开";
        return refusal(StatusCode::BAD_REQUEST, "地址不对", text, as_html);
    }
    let presented = match s.config.token.as_deref() {
        None => None,
        Some(expected) => {
            let given = bearer(req.headers()).or_else(|| query(req.uri().query(), "token"));
            match given {
                Some(t) if same_token(&t, expected) => Some(t),
                other => return unauthorized(as_html, other.is_some()),
            }
        }
    };
    if !matches!(*req.method(), Method::GET | Method::HEAD) && cross_site(req.headers(), host.as_deref()) {
        let text = "拒绝来自其他网站的提交：请在本服务自己的页面上上传名单";
        return refusal(StatusCode::FORBIDDEN, "来源不对", text, as_html);
    }
    req.extensions_mut().insert(Presented(presented));
    next.run(req).await
}

fn refusal(status: StatusCode, title: &str, text: &str, as_html: bool) -> Response {
    if as_html { html(status, page::message(title, text, None)) } else { plain(status, format!("{title}：{text}\n")) }
}

fn unauthorized(as_html: bool, wrong: bool) -> Response {
    let text = if wrong {
        "访问令牌不正确。请使用管理员提供的完整网址，或输入正确的访问令牌"
    } else {
        "本服务需要访问令牌：请使用管理员提供的完整网址（含 ?token=…），或在下面输入访问令牌；脚本请加请求头 Authorization: Bearer 令牌"
    };
    let mut res =
        if as_html { html(StatusCode::UNAUTHORIZED, page::token_form(text)) } else { plain(StatusCode::UNAUTHORIZED, format!("{text}\n")) };
    res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"zeren\""));
    res
}

/// The authority the request was addressed to: the request line's, when it is in absolute form,
/// else the one Host header (two are no answer). Lower-cased.
fn request_host(req: &Request) -> Option<String> {
    if let Some(authority) = req.uri().authority() {
        return Some(authority.as_str().to_ascii_lowercase());
    }
    let mut hosts = req.headers().get_all(header::HOST).iter();
    let host = hosts.next().filter(|_| hosts.next().is_none())?;
    host.to_str().ok().map(str::to_ascii_lowercase)
}

/// A page of another site that has its name resolve to this machine (DNS rebinding) reaches the
/// service with that site's name as Host: without a token, only the machine's own names are
/// served. With a token any name is (the office may use the machine's name): the other site
/// cannot know the token.
pub(super) fn host_allowed(config: &Config, host: Option<&str>) -> bool {
    if config.token.is_some() {
        return true;
    }
    let Some(name) = host.and_then(host_name) else { return false };
    let name = name.strip_suffix('.').unwrap_or(name);
    if name == "localhost" {
        return true;
    }
    let ip = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(name);
    ip.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback() && config.bound.is_loopback() || (ip == config.bound && !ip.is_unspecified()))
}

/// The name part of `host[:port]` (`[v6]` kept in brackets); `None` when it is not that shape.
fn host_name(host: &str) -> Option<&str> {
    let end = if host.starts_with('[') { host.find(']')? + 1 } else { host.find(':').unwrap_or(host.len()) };
    let (name, port) = host.split_at(end);
    let port_ok = port.is_empty() || port.strip_prefix(':').is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (port_ok && !name.is_empty()).then_some(name)
}

/// A write sent by a page of another site (another origin, even on this machine): the browser
/// says so in `Sec-Fetch-Site`, and in an `Origin` that is not this service's own. Scripts send
/// neither and are not refused here; the token is what stands between them and the service.
pub(super) fn cross_site(headers: &HeaderMap, host: Option<&str>) -> bool {
    if let Some(site) = headers.get("sec-fetch-site")
        && !matches!(site.as_bytes(), b"same-origin" | b"none")
    {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return false };
    let Ok(origin) = origin.to_str() else { return true };
    let origin = origin.to_ascii_lowercase();
    // Scheme aside: behind an HTTPS proxy the page's origin is https:// and the request is not.
    let authority = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    authority.is_none_or(|a| Some(a) != host)
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    // As UTF-8, not `to_str` (visible ASCII only): a token may be typed in Chinese.
    let value = std::str::from_utf8(headers.get(header::AUTHORIZATION)?.as_bytes()).ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string())
}

/// One value of a query string, percent-decoded.
pub(super) fn query(q: Option<&str>, key: &str) -> Option<String> {
    let q = q?;
    let pairs: HashMap<String, String> =
        axum::extract::Query::<HashMap<String, String>>::try_from_uri(&format!("/?{q}").parse().ok()?).ok()?.0;
    pairs.get(key).cloned()
}

/// Compared in constant time: both sides are hashed first, so neither the content nor the
/// length of the real token shows in how long a wrong guess takes.
fn same_token(given: &str, expected: &str) -> bool {
    let (a, b) = (Sha256::digest(given.as_bytes()), Sha256::digest(expected.as_bytes()));
    a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token("s3cret-token", "s3cret-token"));
        assert!(!same_token("s3cret-toke", "s3cret-token"));
        assert!(!same_token("", "s3cret-token"));
        assert!(!same_token("s3cret-token ", "s3cret-token"));
    }

    #[test]
    fn bearer_and_query_tokens_are_read() {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer abc"));
        assert_eq!(bearer(&h).as_deref(), Some("abc"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
        assert_eq!(query(Some("a=1&token=%E4%BB%A4+x"), "token").as_deref(), Some("令 x"));
        assert_eq!(query(None, "token"), None);
    }

    #[test]
    fn only_the_machines_own_names_are_served_without_a_token() {
        let mut c = Config::new("ws");
        for ok in ["127.0.0.1:8080", "127.0.0.1", "localhost:8080", "localhost", "localhost.:1", "[::1]:8080", "[::1]"] {
            assert!(host_allowed(&c, Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "0.0.0.0:8080",
            "::1",
            "[::1",
            ":80",
            "localhost:x",
        ] {
            assert!(!host_allowed(&c, Some(bad)), "{bad}");
        }
        assert!(!host_allowed(&c, None), "no Host at all");
        c.bound = IpAddr::V4(Ipv4Addr::new(192, 168, 1, 5));
        assert!(host_allowed(&c, Some("192.168.1.5:8080")));
        assert!(!host_allowed(&c, Some("127.0.0.1:8080")), "not listening there");
        c.bound = IpAddr::V6(Ipv6Addr::UNSPECIFIED);
        assert!(!host_allowed(&c, Some("[::]:8080")) && !host_allowed(&c, Some("zeren-pc:8080")));
        c.token = Some("long-enough-token".into());
        assert!(host_allowed(&c, Some("zeren-pc:8080")), "with a token the name is free");
    }

    #[test]
    fn writes_from_another_origin_are_recognised() {
        let h = |pairs: &[(&'static str, &'static str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, HeaderValue::from_static(v));
            }
            m
        };
        let host = Some("127.0.0.1:8080");
        assert!(!cross_site(&h(&[]), host), "a script: neither header");
        assert!(!cross_site(&h(&[("origin", "http://127.0.0.1:8080"), ("sec-fetch-site", "same-origin")]), host));
        assert!(!cross_site(&h(&[("origin", "HTTPS://127.0.0.1:8080")]), host), "behind an HTTPS proxy");
        assert!(cross_site(&h(&[("origin", "http://evil.example")]), host));
        assert!(cross_site(&h(&[("origin", "http://127.0.0.1:9999")]), host), "another port is another origin");
        assert!(cross_site(&h(&[("origin", "null")]), host));
        assert!(cross_site(&h(&[("sec-fetch-site", "cross-site")]), host));
        assert!(cross_site(&h(&[("sec-fetch-site", "same-site")]), host));
    }
}
