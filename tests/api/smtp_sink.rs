//! A real SMTP server on loopback for the tests: it accepts every message (220, EHLO/HELO, MAIL,
//! RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) and keeps what it received, so a test sees
//! what a mail server would. Plus just enough MIME reading to check headers and parts.
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One message as delivered: the envelope and the raw RFC 5322 text.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: String,
}

pub struct SmtpSink {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    task: JoinHandle<()>,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        Self::start_on(0).await
    }

    /// On a given port of 127.0.0.1 (to end an outage the app has been seeing on that port).
    pub async fn start_on(port: u16) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind SMTP sink");
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, store.clone()));
            }
        });
        SmtpSink {
            addr,
            received,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn received(&self) -> Vec<ReceivedMail> {
        self.received.lock().unwrap().clone()
    }

    /// Waits (at most 20 s) until at least `count` messages have arrived; returns all of them.
    pub async fn wait_for(&self, count: usize) -> Vec<ReceivedMail> {
        crate::helpers::eventually(&format!("{count} messages at the SMTP sink"), || async {
            let received = self.received();
            (received.len() >= count).then_some(received)
        })
        .await
    }
}

async fn session(stream: TcpStream, store: Arc<Mutex<Vec<ReceivedMail>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut reply = async |text: &str| write.write_all(text.as_bytes()).await.is_ok();
    if !reply("220 sink.test ESMTP\r\n").await {
        return;
    }
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = Vec::new();
    loop {
        line.clear();
        match lines.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let command = String::from_utf8_lossy(&line).trim_end().to_string();
        let verb = command.get(..4).unwrap_or(&command).to_ascii_uppercase();
        let answer = match verb.as_str() {
            "EHLO" => "250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" | "NOOP" => "250 OK\r\n",
            "RSET" => {
                (from, to) = (String::new(), Vec::new());
                "250 OK\r\n"
            }
            "MAIL" => {
                from = address_in(&command);
                to.clear();
                "250 OK\r\n"
            }
            "RCPT" => {
                to.push(address_in(&command));
                "250 OK\r\n"
            }
            "DATA" => {
                if !reply("354 End data with <CR><LF>.<CR><LF>\r\n").await {
                    return;
                }
                let Some(data) = read_data(&mut lines).await else {
                    return;
                };
                store.lock().unwrap().push(ReceivedMail {
                    mail_from: std::mem::take(&mut from),
                    rcpt_to: std::mem::take(&mut to),
                    data,
                });
                "250 OK queued\r\n"
            }
            "QUIT" => {
                reply("221 Bye\r\n").await;
                return;
            }
            _ => "502 Command not implemented\r\n",
        };
        if !reply(answer).await {
            return;
        }
    }
}

/// The message up to the line with a lone `.`, with leading dots unstuffed (RFC 5321 4.5.2).
async fn read_data(lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Option<String> {
    let mut data = String::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        let text = String::from_utf8_lossy(&line);
        if text == ".\r\n" || text == ".\n" {
            return Some(data);
        }
        data.push_str(text.strip_prefix('.').unwrap_or(&text));
    }
}

fn address_in(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command.rfind('>').unwrap_or(command.len());
    command.get(start..end).unwrap_or_default().to_string()
}

impl ReceivedMail {
    /// A top-level header, unfolded, with RFC 2047 encoded words decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        header_of(head_and_body(&self.data).0, name).map(|v| decode_words(&v))
    }

    /// The decoded body of the part whose Content-Type starts with `content_type`.
    pub fn part(&self, content_type: &str) -> Option<String> {
        let (head, body) = head_and_body(&self.data);
        let top = header_of(head, "Content-Type")?;
        let boundary = top
            .split("boundary=")
            .nth(1)?
            .split(';')
            .next()?
            .trim_matches('"');
        body.split(&format!("--{boundary}"))
            .skip(1)
            .filter(|p| !p.starts_with("--"))
            .find_map(|part| {
                let (head, body) = head_and_body(part.trim_start_matches("\r\n"));
                let kind = header_of(head, "Content-Type")?;
                kind.starts_with(content_type).then(|| {
                    let encoding = header_of(head, "Content-Transfer-Encoding").unwrap_or_default();
                    decode_body(&encoding, body.trim_end_matches("\r\n"))
                })
            })
    }
}

fn head_and_body(text: &str) -> (&str, &str) {
    text.split_once("\r\n\r\n").unwrap_or((text, ""))
}

fn header_of(head: &str, name: &str) -> Option<String> {
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded.split("\r\n").find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name)
            .then(|| value.trim().to_string())
    })
}

fn decode_body(encoding: &str, body: &str) -> String {
    match encoding.to_ascii_lowercase().as_str() {
        "base64" => base64_text(body),
        "quoted-printable" => String::from_utf8(decode_qp(body)).expect("UTF-8 part"),
        _ => body.to_string(),
    }
}

fn base64_text(encoded: &str) -> String {
    let compact: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .expect("base64");
    String::from_utf8(bytes).expect("UTF-8")
}

fn decode_qp(body: &str) -> Vec<u8> {
    let bytes = body.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' if bytes[i + 1..].starts_with(b"\r\n") => i += 3,
            b'=' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).expect("QP escape"));
                i += 3;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// `=?utf-8?b?…?=` and `=?utf-8?q?…?=` words, as lettre writes non-ASCII headers.
fn decode_words(value: &str) -> String {
    value
        .split_whitespace()
        .map(|word| {
            let inner = word.strip_prefix("=?").and_then(|w| w.strip_suffix("?="));
            let Some(parts) = inner.map(|w| w.splitn(3, '?').collect::<Vec<_>>()) else {
                return (word.to_string(), false);
            };
            let text = match parts[1].to_ascii_lowercase().as_str() {
                "b" => base64_text(parts[2]),
                _ => String::from_utf8(decode_qp(&parts[2].replace('_', " "))).unwrap(),
            };
            (text, true)
        })
        .fold(
            (String::new(), false),
            |(mut acc, last_encoded), (text, encoded)| {
                // Whitespace between two encoded words is not part of the text (RFC 2047 6.2).
                let joined_words = last_encoded && encoded;
                if !acc.is_empty() && !joined_words {
                    acc.push(' ');
                }
                acc.push_str(&text);
                (acc, encoded)
            },
        )
        .0
}
