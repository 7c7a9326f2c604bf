//! The client's address, for the public signal rate limit. Directly connected, it is the peer
//! address. Behind a reverse proxy or load balancer (several instances, ARCHITECTURE.md) every
//! request comes from the proxy, so one limit would hold for the whole country: with
//! `TRUSTED_PROXY` set to the proxy's address, the address the proxy appended last to
//! `X-Forwarded-For` counts instead. From any other peer the header is ignored, so nobody can
//! dodge the limit by sending it themselves.
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::app::AppState;
use crate::error::AppError;

pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(|| AppError::internal("the server runs without connection info"))?;
        Ok(ClientAddr(client_ip(
            peer,
            &parts.headers,
            state.config.trusted_proxy,
        )))
    }
}

/// The peer, or when the peer is the trusted proxy, the last address in `X-Forwarded-For`
/// (the one the proxy itself added; earlier entries are whatever the client claimed).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted_proxy: Option<IpAddr>) -> IpAddr {
    if trusted_proxy != Some(peer) {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        // Only the proxy's own entry counts: when it is not an address, fall back to the proxy
        // rather than to an entry the client wrote.
        .and_then(|part| part.trim().parse::<IpAddr>().ok())
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", v.parse().unwrap());
        }
        map
    }

    const PROXY: [u8; 4] = [10, 0, 0, 1];

    #[test]
    fn without_a_trusted_proxy_the_header_is_ignored() {
        let peer = IpAddr::from([192, 0, 2, 7]);
        assert_eq!(client_ip(peer, &headers(&["203.0.113.9"]), None), peer);
    }

    #[test]
    fn from_another_peer_the_header_is_ignored() {
        let peer = IpAddr::from([192, 0, 2, 7]);
        let trusted = Some(IpAddr::from(PROXY));
        assert_eq!(client_ip(peer, &headers(&["203.0.113.9"]), trusted), peer);
    }

    #[test]
    fn from_the_proxy_the_last_forwarded_address_counts() {
        let proxy = IpAddr::from(PROXY);
        let got = client_ip(
            proxy,
            &headers(&["198.51.100.1, 203.0.113.9", "2001:db8::5"]),
            Some(proxy),
        );
        assert_eq!(got, "2001:db8::5".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn from_the_proxy_without_a_usable_header_the_proxy_counts() {
        let proxy = IpAddr::from(PROXY);
        assert_eq!(client_ip(proxy, &headers(&["unknown"]), Some(proxy)), proxy);
        assert_eq!(
            client_ip(proxy, &headers(&["203.0.113.9, unknown"]), Some(proxy)),
            proxy
        );
        assert_eq!(client_ip(proxy, &HeaderMap::new(), Some(proxy)), proxy);
    }
}
