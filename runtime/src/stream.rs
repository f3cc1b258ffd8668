//! Answers read as a stream of items, each decoded as it arrives:
//! Server-Sent Events (`text/event-stream`, parsed as the WHATWG HTML
//! standard says) and JSON sequences (JSON Lines and NDJSON, one value per
//! line; `application/json-seq`, RFC 7464).
//!
//! The body limit applies to each item rather than to the whole answer, and
//! the deadline to each wait for more of the body (the server may stream for
//! as long as it likes, but not fall silent for longer than that).

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::decode::{Decode, from_slice};
use futures_util::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::{DecodeError, Error, Failure};
use crate::request::{Request, read};
use crate::response::{RawResponse, Response};
use crate::retry::retrying;

/// One Server-Sent Event, its data decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The event's type: its `event` field, `message` when it has none.
    pub event: String,
    /// The last event ID the stream set (`id`), as of this event: what to
    /// send as `Last-Event-ID` to resume after it.
    pub id: Option<String>,
    /// The reconnection time the stream asked for (`retry`), as of this
    /// event.
    pub retry: Option<Duration>,
    /// The event's `data`, decoded as JSON.
    pub data: T,
}

/// How the values of a JSON sequence are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// One value per line (JSON Lines, NDJSON); blank lines are skipped, and
    /// a last line without a newline is a value too.
    JsonLines,
    /// Each value after a record separator, U+001E (`application/json-seq`).
    JsonSeq,
}

/// The items of a streamed answer, as they arrive: `Ok` for each item,
/// `Err` for one that did not decode (the stream goes on with the next) or
/// for a failure that ends the stream (the connection, an item over the body
/// limit, a wait for more over the deadline). It ends when the server ends
/// the body.
#[must_use = "streams do nothing unless polled"]
pub struct ItemStream<I, E> {
    inner: Pin<Box<dyn Stream<Item = Result<I, Error<E>>> + Send>>,
}

impl<I, E> Stream for ItemStream<I, E> {
    type Item = Result<I, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<I, E> fmt::Debug for ItemStream<I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream").finish_non_exhaustive()
    }
}

/// What a streaming operation's method returns: a future of the answer's
/// status and headers with its items as an [`ItemStream`], or of the error
/// its status documents (read whole, as [`ResponseFuture`](crate::ResponseFuture)
/// reads it).
#[must_use = "a request is sent only when its future is awaited"]
pub struct StreamFuture<I, E> {
    head: Pin<Box<dyn Future<Output = Opened<I, E>> + Send>>,
}

/// What a [`StreamFuture`] gives.
type Opened<I, E> = Result<Response<ItemStream<I, E>>, Error<E>>;

impl<I, E> Future for StreamFuture<I, E> {
    type Output = Opened<I, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.head.as_mut().poll(cx)
    }
}

impl<I, E> fmt::Debug for StreamFuture<I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamFuture").finish_non_exhaustive()
    }
}

impl Request {
    /// Sends the request and reads a `text/event-stream` answer: on a status
    /// for which `streams` holds, each event's data decoded as `T`; on any
    /// other, the body read whole and made an error by `error`. A `data` of
    /// `[DONE]` (the end marker of many streaming APIs) ends the stream.
    pub fn send_events<T, E>(
        self,
        streams: fn(u16) -> bool,
        error: fn(RawResponse) -> Error<E>,
    ) -> StreamFuture<Event<T>, E>
    where
        T: Decode + Send + 'static,
        E: Send + 'static,
    {
        self.open(streams, error, |limit| {
            Box::new(Sse::new(limit, |data| from_slice(data.as_bytes())))
        })
    }

    /// [`Request::send_events`] for events whose data is text rather than
    /// JSON: each event's data as it came.
    pub fn send_text_events<E>(
        self,
        streams: fn(u16) -> bool,
        error: fn(RawResponse) -> Error<E>,
    ) -> StreamFuture<Event<String>, E>
    where
        E: Send + 'static,
    {
        self.open(streams, error, |limit| {
            Box::new(Sse::new(limit, |data| Ok(data.to_owned())))
        })
    }

    /// Sends the request and reads a JSON sequence answer (`framing`): on a
    /// status for which `streams` holds, each value decoded as `T`; on any
    /// other, the body read whole and made an error by `error`.
    pub fn send_json_seq<T, E>(
        self,
        framing: Framing,
        streams: fn(u16) -> bool,
        error: fn(RawResponse) -> Error<E>,
    ) -> StreamFuture<T, E>
    where
        T: Decode + Send + 'static,
        E: Send + 'static,
    {
        self.open(streams, error, move |limit| {
            Box::new(Records::new(framing, limit))
        })
    }

    fn open<I, E>(
        self,
        streams: fn(u16) -> bool,
        error: fn(RawResponse) -> Error<E>,
        splitter: impl FnOnce(usize) -> Box<dyn Splitter<I>> + Send + 'static,
    ) -> StreamFuture<I, E>
    where
        I: Send + 'static,
        E: Send + 'static,
    {
        // Made ready now, as `send` does: the future then holds only what
        // sending needs, small enough for the allocator's per-thread cache.
        let ready = self.ready();
        let head = async move {
            let ready = ready?;
            let strip = ready.strip();
            let (retry, max_body) = (ready.retry, ready.max_body);
            #[cfg(feature = "tracing")]
            let span = ready.span();
            let sent = retrying(&ready.http, ready.request, retry);
            #[cfg(feature = "tracing")]
            let sent = tracing::Instrument::instrument(sent, span);
            let response = match tokio::time::timeout(retry.deadline, sent).await {
                Ok(response) => response.map_err(strip)?,
                Err(_) => return Err(Failure::Timeout(retry.deadline).into()),
            };
            let status = response.status();
            if !streams(status.as_u16()) {
                let raw = read(response, max_body).await.map_err(|e| match e {
                    Failure::Transport(e) => strip(e),
                    other => other,
                })?;
                return Err(error(raw));
            }
            let headers = response.headers().clone();
            let state = State {
                response,
                splitter: splitter(max_body),
                ready: VecDeque::new(),
                ended: false,
                idle: retry.deadline,
                strip: Box::new(strip),
                status,
                headers: headers.clone(),
            };
            let items = futures_util::stream::unfold(state, next);
            Ok(Response {
                status,
                headers,
                body: ItemStream {
                    inner: Box::pin(items),
                },
            })
        };
        StreamFuture {
            head: Box::pin(head),
        }
    }
}

/// What the stream of items is made from: the body, cut into items.
struct State<I, E> {
    response: reqwest::Response,
    splitter: Box<dyn Splitter<I>>,
    ready: VecDeque<Result<I, Error<E>>>,
    ended: bool,
    idle: Duration,
    strip: Box<dyn Fn(reqwest::Error) -> Failure + Send>,
    status: StatusCode,
    headers: HeaderMap,
}

async fn next<I, E>(mut state: State<I, E>) -> Option<(Result<I, Error<E>>, State<I, E>)> {
    loop {
        if let Some(item) = state.ready.pop_front() {
            return Some((item, state));
        }
        if state.ended {
            return None;
        }
        let chunk = tokio::time::timeout(state.idle, state.response.chunk()).await;
        let (status, headers) = (state.status, &state.headers);
        let found = match chunk {
            Ok(Ok(Some(chunk))) => state.splitter.push(&chunk),
            Ok(Ok(None)) => {
                state.ended = true;
                state.splitter.finish()
            }
            Ok(Err(e)) => {
                state.ended = true;
                vec![Piece::Failed((state.strip)(e))]
            }
            Err(_) => {
                state.ended = true;
                vec![Piece::Failed(Failure::Timeout(state.idle))]
            }
        };
        for piece in found {
            match piece {
                Piece::Item(item) => state.ready.push_back(Ok(item)),
                Piece::Undecodable { item, text, source } => {
                    let mut error = DecodeError::new(status, headers.clone(), text, source);
                    error.item = Some(item);
                    state.ready.push_back(Err(Error::Decode(Box::new(error))));
                }
                Piece::End => {
                    state.ended = true;
                    break;
                }
                Piece::TooLarge => {
                    let limit = state.splitter.limit();
                    state
                        .ready
                        .push_back(Err(Error::BodyTooLarge { status, limit }));
                    state.ended = true;
                    break;
                }
                Piece::Failed(failure) => state.ready.push_back(Err(failure.into())),
            }
        }
    }
}

/// What a splitter finds in the body.
enum Piece<I> {
    Item(I),
    /// An item that did not decode: which it was (`line 3`, `event 2`), its
    /// text, and why.
    Undecodable {
        item: String,
        text: Vec<u8>,
        source: serde_json::Error,
    },
    /// The stream says it is over.
    End,
    /// An item is larger than the limit.
    TooLarge,
    Failed(Failure),
}

/// Cuts a body into items as its chunks arrive.
trait Splitter<I>: Send {
    /// The items that `chunk` completes.
    fn push(&mut self, chunk: &[u8]) -> Vec<Piece<I>>;
    /// What is left once the body ended.
    fn finish(&mut self) -> Vec<Piece<I>>;
    /// The most bytes one item may have.
    fn limit(&self) -> usize;
}

/// Lines as the event-stream format cuts them: at CR LF, LF or CR, a CR
/// LF split across chunks included.
struct Lines {
    partial: Vec<u8>,
    /// The last chunk ended in CR: an LF first in the next one ends nothing.
    after_cr: bool,
}

impl Lines {
    fn new() -> Self {
        Lines {
            partial: Vec::new(),
            after_cr: false,
        }
    }

    /// Calls `line` with each line `chunk` completes.
    fn push(&mut self, chunk: &[u8], mut line: impl FnMut(&[u8])) {
        let mut rest = chunk;
        if self.after_cr && rest.first() == Some(&b'\n') {
            rest = &rest[1..];
        }
        self.after_cr = false;
        while let Some(end) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            if self.partial.is_empty() {
                line(&rest[..end]);
            } else {
                self.partial.extend_from_slice(&rest[..end]);
                line(&self.partial);
                self.partial.clear();
            }
            let cr = rest[end] == b'\r';
            rest = &rest[end + 1..];
            if cr {
                match rest.first() {
                    Some(b'\n') => rest = &rest[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.partial.extend_from_slice(rest);
    }
}

/// The event-stream interpretation of the WHATWG HTML standard: `data`
/// lines joined with newlines, `event`, `id` (kept across events), `retry`
/// (digits only), comments and unknown fields ignored, an event dispatched
/// at a blank line, and one without a final blank line discarded. Events
/// with empty data are skipped.
struct Sse<T> {
    lines: Lines,
    started: bool,
    data: String,
    has_data: bool,
    event: String,
    id: Option<String>,
    retry: Option<Duration>,
    limit: usize,
    dispatched: usize,
    /// How an event's data becomes an item.
    decode: fn(&str) -> Result<T, serde_json::Error>,
}

impl<T> Sse<T> {
    fn new(limit: usize, decode: fn(&str) -> Result<T, serde_json::Error>) -> Self {
        Sse {
            lines: Lines::new(),
            started: false,
            data: String::new(),
            has_data: false,
            event: String::new(),
            id: None,
            retry: None,
            limit,
            dispatched: 0,
            decode,
        }
    }
}

impl<T> Sse<T> {
    fn line(&mut self, line: &[u8], found: &mut Vec<Piece<Event<T>>>) {
        if line.is_empty() {
            self.dispatch(found);
            return;
        }
        if line[0] == b':' {
            return; // a comment, or a keep-alive
        }
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => self.event = value.to_owned(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
                if self.data.len() > self.limit {
                    found.push(Piece::TooLarge);
                }
            }
            "id" if !value.contains('\0') => {
                self.id = (!value.is_empty()).then(|| value.to_owned());
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok().map(Duration::from_millis);
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, found: &mut Vec<Piece<Event<T>>>) {
        let event = std::mem::take(&mut self.event);
        let data = std::mem::take(&mut self.data);
        // An event with empty data has no value to decode (the standard
        // dispatches it only when a `data` line was there; either way it
        // carries nothing for a typed stream).
        if !std::mem::take(&mut self.has_data) || data.is_empty() {
            return;
        }
        if data == "[DONE]" {
            found.push(Piece::End);
            return;
        }
        self.dispatched += 1;
        match (self.decode)(&data) {
            Ok(decoded) => found.push(Piece::Item(Event {
                event: if event.is_empty() {
                    "message".to_owned()
                } else {
                    event
                },
                id: self.id.clone(),
                retry: self.retry,
                data: decoded,
            })),
            Err(source) => found.push(Piece::Undecodable {
                item: format!("event {}", self.dispatched),
                text: data.into_bytes(),
                source,
            }),
        }
    }
}

impl<T> Splitter<Event<T>> for Sse<T> {
    fn push(&mut self, mut chunk: &[u8]) -> Vec<Piece<Event<T>>> {
        if !self.started {
            // A byte order mark may open the stream (it may also arrive split;
            // a stream that starts so is not worth the bookkeeping).
            chunk = chunk.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(chunk);
            self.started = !chunk.is_empty();
        }
        let mut lines = Vec::new();
        self.lines.push(chunk, |line| lines.push(line.to_vec()));
        let mut found = Vec::new();
        for line in lines {
            self.line(&line, &mut found);
            if matches!(found.last(), Some(Piece::TooLarge | Piece::End)) {
                return found;
            }
        }
        if self.lines.partial.len() + self.data.len() > self.limit {
            found.push(Piece::TooLarge);
        }
        found
    }

    fn finish(&mut self) -> Vec<Piece<Event<T>>> {
        Vec::new()
    }

    fn limit(&self) -> usize {
        self.limit
    }
}

/// JSON sequences: values cut at line ends (JSON Lines) or record
/// separators (`application/json-seq`).
struct Records<T> {
    framing: Framing,
    partial: Vec<u8>,
    /// Lines or records begun so far, for messages.
    count: usize,
    limit: usize,
    _item: std::marker::PhantomData<fn() -> T>,
}

impl<T> Records<T> {
    fn new(framing: Framing, limit: usize) -> Self {
        Records {
            framing,
            partial: Vec::new(),
            count: 0,
            limit,
            _item: std::marker::PhantomData,
        }
    }

    fn separator(&self) -> u8 {
        match self.framing {
            Framing::JsonLines => b'\n',
            Framing::JsonSeq => 0x1E,
        }
    }
}

impl<T: Decode> Records<T> {
    fn record(&mut self, record: &[u8], found: &mut Vec<Piece<T>>) {
        self.count += 1;
        let text = record.trim_ascii();
        if text.is_empty() {
            return;
        }
        match from_slice(text) {
            Ok(value) => found.push(Piece::Item(value)),
            Err(source) => found.push(Piece::Undecodable {
                item: match self.framing {
                    Framing::JsonLines => format!("line {}", self.count),
                    // The text before the first separator is no record.
                    Framing::JsonSeq => format!("record {}", self.count - 1),
                },
                text: text.to_vec(),
                source,
            }),
        }
    }
}

impl<T: Decode> Splitter<T> for Records<T> {
    fn push(&mut self, chunk: &[u8]) -> Vec<Piece<T>> {
        let separator = self.separator();
        let mut found = Vec::new();
        let mut rest = chunk;
        while let Some(end) = rest.iter().position(|&b| b == separator) {
            let record = if self.partial.is_empty() {
                rest[..end].to_vec()
            } else {
                let mut record = std::mem::take(&mut self.partial);
                record.extend_from_slice(&rest[..end]);
                record
            };
            if record.len() > self.limit {
                found.push(Piece::TooLarge);
                return found;
            }
            self.record(&record, &mut found);
            rest = &rest[end + 1..];
        }
        self.partial.extend_from_slice(rest);
        if self.partial.len() > self.limit {
            found.push(Piece::TooLarge);
        }
        found
    }

    fn finish(&mut self) -> Vec<Piece<T>> {
        let mut found = Vec::new();
        let last = std::mem::take(&mut self.partial);
        if !last.trim_ascii().is_empty() {
            self.record(&last, &mut found);
        }
        found
    }

    fn limit(&self) -> usize {
        self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_future_of_a_stream_fits_the_allocators_fast_path() {
        let transport = crate::Transport::new("http://127.0.0.1:9").unwrap();
        let request = transport.request("op", reqwest::Method::GET, "/a", Default::default());
        let future = request.send_events::<serde_json::Value, ()>(|_| true, |raw| raw.unexpected());
        crate::request::tests::assert_fits_the_allocators_fast_path(std::mem::size_of_val(
            &*future.head,
        ));
    }

    #[derive(Debug, PartialEq, crate::Object)]
    struct Chunk {
        n: u32,
    }

    /// The events `body` holds when it arrives cut at `cuts`.
    fn events(body: &str, cuts: &[usize]) -> Vec<Result<Event<Chunk>, String>> {
        let mut sse = Sse::<Chunk>::new(1 << 20, |data| serde_json::from_str(data));
        let mut pieces = Vec::new();
        let mut at = 0;
        for &cut in cuts.iter().chain([&body.len()]) {
            pieces.extend(sse.push(&body.as_bytes()[at..cut]));
            at = cut;
        }
        pieces.extend(sse.finish());
        pieces
            .into_iter()
            .map_while(|piece| match piece {
                Piece::Item(event) => Some(Ok(event)),
                Piece::Undecodable { item, source, .. } => Some(Err(format!("{item}: {source}"))),
                Piece::End => None,
                Piece::TooLarge => Some(Err("too large".into())),
                Piece::Failed(_) => Some(Err("failed".into())),
            })
            .collect()
    }

    fn event(event: &str, id: Option<&str>, retry: Option<u64>, n: u32) -> Event<Chunk> {
        Event {
            event: event.to_owned(),
            id: id.map(str::to_owned),
            retry: retry.map(Duration::from_millis),
            data: Chunk { n },
        }
    }

    #[test]
    fn events_follow_the_whatwg_rules() {
        let body = "\u{feff}: a comment\n\
                    data: {\"n\":\n\
                    data: 1}\n\
                    \n\
                    event: update\r\n\
                    id: 7\r\n\
                    retry: 1500\r\n\
                    data:{\"n\":2}\r\n\
                    \r\n\
                    :keep-alive\r\r\
                    retry: soon\r\
                    event: ignored without data\r\r\
                    data: {\"n\":3}\n\
                    unknown: field\n\
                    data\n\
                    \n\
                    id\n\
                    data: {\"n\":4}\n\n";
        let expected = vec![
            Ok(event("message", None, None, 1)),
            Ok(event("update", Some("7"), Some(1500), 2)),
            // `data` alone adds an empty line: `{"n":3}\n`, still JSON.
            Ok(event("message", Some("7"), Some(1500), 3)),
            // `id` with no value clears the last ID.
            Ok(event("message", None, Some(1500), 4)),
        ];
        assert_eq!(events(body, &[]), expected);
        // The same, cut at every byte: lines, CR LF pairs and the byte order
        // mark's successors split across reads.
        let every: Vec<usize> = (4..body.len())
            .filter(|&i| body.is_char_boundary(i))
            .collect();
        assert_eq!(events(body, &every), expected);
    }

    #[test]
    fn text_events_keep_their_data_as_it_came() {
        let mut sse = Sse::<String>::new(1 << 20, |data| Ok(data.to_owned()));
        let pieces = sse.push(b"data: hello\ndata: world\n\ndata: {\"n\":1}\n\n");
        let data: Vec<String> = pieces
            .into_iter()
            .filter_map(|piece| match piece {
                Piece::Item(event) => Some(event.data),
                _ => None,
            })
            .collect();
        assert_eq!(data, ["hello\nworld", "{\"n\":1}"]);
    }

    #[test]
    fn an_event_without_its_final_blank_line_is_discarded() {
        assert_eq!(
            events("data: {\"n\":1}\n\ndata: {\"n\":2}\n", &[]),
            [Ok(event("message", None, None, 1))]
        );
    }

    #[test]
    fn an_undecodable_event_is_an_error_and_the_stream_goes_on_until_done() {
        let body = "data: {\"n\":1}\n\ndata: oops\n\ndata: {\"n\":3}\n\ndata: [DONE]\n\ndata: {\"n\":4}\n\n";
        let found = events(body, &[]);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0], Ok(event("message", None, None, 1)));
        let error = found[1].as_ref().unwrap_err();
        assert!(error.starts_with("event 2: expected value"), "{error}");
        assert_eq!(found[2], Ok(event("message", None, None, 3)));
    }

    #[test]
    fn an_event_over_the_limit_is_too_large() {
        let mut sse = Sse::<Chunk>::new(16, |data| serde_json::from_str(data));
        assert!(
            sse.push(b"data: {\"n\":1}\n\n")
                .iter()
                .all(|p| matches!(p, Piece::Item(_)))
        );
        let pieces = sse.push(b"data: 12345678901234567890");
        assert!(matches!(pieces.last(), Some(Piece::TooLarge)));
    }

    fn records(framing: Framing, body: &[u8], cut: usize) -> Vec<Result<u32, String>> {
        let mut records = Records::<Chunk>::new(framing, 1 << 20);
        let mut pieces = records.push(&body[..cut]);
        pieces.extend(records.push(&body[cut..]));
        pieces.extend(records.finish());
        pieces
            .into_iter()
            .map(|piece| match piece {
                Piece::Item(chunk) => Ok(chunk.n),
                Piece::Undecodable { item, .. } => Err(item),
                _ => Err("other".into()),
            })
            .collect()
    }

    #[test]
    fn json_lines_name_the_line_that_does_not_decode() {
        let body = b"{\"n\":1}\r\n\n{\"n\":\n{\"n\":4}\n{\"n\":5}";
        for cut in 0..body.len() {
            assert_eq!(
                records(Framing::JsonLines, body, cut),
                [Ok(1), Err("line 3".into()), Ok(4), Ok(5)],
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn json_seq_records_follow_record_separators() {
        let body = b"\x1e{\"n\":1}\n\x1e{\"n\":2}\n\x1e{\"n\"\n\x1e{\"n\":4}\n";
        for cut in 0..body.len() {
            assert_eq!(
                records(Framing::JsonSeq, body, cut),
                [Ok(1), Ok(2), Err("record 3".into()), Ok(4)],
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn a_line_over_the_limit_is_too_large() {
        let mut records = Records::<Chunk>::new(Framing::JsonLines, 8);
        assert!(matches!(
            records.push(b"{\"n\":1}\n{\"n\": 1234567").last(),
            Some(Piece::TooLarge)
        ));
    }
}
