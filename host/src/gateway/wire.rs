//! One player's WebSocket, shared by the connection's task, which reads it
//! and writes what is queued, and the game server, which writes a message
//! at once when the socket can take it without waiting: a broadcast reaches
//! the players' sockets from the game server's own task, with no hop through
//! each connection's task.

use axum::Error;
use axum::extract::ws::{Message, Utf8Bytes, WebSocket};
use futures_util::{SinkExt, StreamExt};
use gamehost_runtime::players::{Outgoing, WriteNow};
use std::future::poll_fn;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use tokio::sync::{Notify, mpsc};

/// The largest message the game server writes at once itself, in bytes:
/// a write at once is a system call made inside the game mode's call, so
/// larger messages, whose copying costs more than a hop between tasks, go
/// through the queue.
const WRITE_NOW_BYTES: usize = 8 * 1024;
/// Most messages the game server writes at once to one player before the
/// connection's task has had a turn (read a message from the player or
/// written its queue): a game mode sending one player many messages in
/// one call queues all but the first few, and its call does not pay for
/// their system calls.
const WRITE_NOW_RUN: usize = 16;

/// A player's socket and what its writers share.
pub(super) struct Wire {
    /// The socket; held only for one poll at a time, never across a wait.
    socket: Mutex<WebSocket>,
    /// What the connection's task owes the socket: messages given back to
    /// be queued and not yet handed to it, and a flush the socket could not
    /// finish at once. While it owes any, no message is written at once, so
    /// none overtakes a queued one and none piles up behind a blocked
    /// socket.
    owed: AtomicUsize,
    /// Messages written at once since the connection's task last had a turn.
    run: AtomicUsize,
    /// Wakes the connection's task to finish a write the game server began
    /// and the socket could not take at once.
    unflushed: Notify,
}

impl Wire {
    /// Shares `socket`.
    pub(super) fn new(socket: WebSocket) -> Self {
        Self {
            socket: Mutex::new(socket),
            owed: AtomicUsize::new(0),
            run: AtomicUsize::new(0),
            unflushed: Notify::new(),
        }
    }

    fn socket(&self) -> MutexGuard<'_, WebSocket> {
        self.socket.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next message from the player.
    pub(super) async fn recv(&self) -> Option<Result<Message, Error>> {
        let received = poll_fn(|cx| self.socket().poll_next_unpin(cx)).await;
        self.run.store(0, Ordering::Release);
        received
    }

    /// Waits until a write the game server began needs finishing.
    pub(super) async fn unflushed(&self) {
        self.unflushed.notified().await;
    }

    /// Finishes the write the game server began.
    pub(super) async fn finish_flush(&self) -> Result<(), Error> {
        let flushed = poll_fn(|cx| self.socket().poll_flush_unpin(cx)).await;
        self.owed.fetch_sub(1, Ordering::AcqRel);
        flushed
    }

    /// Writes `first` and the messages queued behind it (at most `batch`
    /// in all), then flushes the socket.
    pub(super) async fn write_queued(
        &self,
        first: Outgoing,
        queue: &mut mpsc::Receiver<Outgoing>,
        batch: usize,
    ) -> Result<(), Error> {
        let mut next = Some(first);
        let mut taken = 1;
        poll_fn(|cx| {
            let mut socket = self.socket();
            while let Some(message) = next.take() {
                match socket.poll_ready_unpin(cx) {
                    Poll::Ready(Ok(())) => {}
                    Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                    Poll::Pending => {
                        next = Some(message);
                        return Poll::Pending;
                    }
                }
                let sent = socket.start_send_unpin(frame(message));
                self.owed.fetch_sub(1, Ordering::AcqRel);
                sent?;
                if taken < batch {
                    next = queue.try_recv().ok();
                    taken += usize::from(next.is_some());
                }
            }
            socket.poll_flush_unpin(cx)
        })
        .await?;
        self.run.store(0, Ordering::Release);
        Ok(())
    }

    /// Writes `message` and flushes.
    pub(super) async fn send(&self, message: Message) -> Result<(), Error> {
        let mut message = Some(message);
        poll_fn(|cx| {
            let mut socket = self.socket();
            if let Some(unsent) = message.take() {
                match socket.poll_ready_unpin(cx) {
                    Poll::Ready(Ok(())) => socket.start_send_unpin(unsent)?,
                    Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                    Poll::Pending => {
                        message = Some(unsent);
                        return Poll::Pending;
                    }
                }
            }
            socket.poll_flush_unpin(cx)
        })
        .await
    }
}

impl WriteNow for Wire {
    fn write_now(&self, message: Outgoing) -> Result<(), Outgoing> {
        if message.len() > WRITE_NOW_BYTES || self.run.load(Ordering::Acquire) >= WRITE_NOW_RUN {
            return self.give_back(message);
        }
        let Ok(mut socket) = self.socket.try_lock() else {
            return self.give_back(message);
        };
        if self.owed.load(Ordering::Acquire) > 0 {
            return self.give_back(message);
        }
        // No task waits on these polls: a write the socket cannot finish now
        // is handed to the connection's task.
        let mut cx = Context::from_waker(Waker::noop());
        if !matches!(socket.poll_ready_unpin(&mut cx), Poll::Ready(Ok(()))) {
            return self.give_back(message);
        }
        if socket.start_send_unpin(frame(message.clone())).is_err() {
            return self.give_back(message);
        }
        self.run.fetch_add(1, Ordering::AcqRel);
        if socket.poll_flush_unpin(&mut cx).is_pending() {
            self.owed.fetch_add(1, Ordering::AcqRel);
            self.unflushed.notify_one();
        }
        Ok(())
    }
}

impl Wire {
    /// Counts `message` as queued and gives it back to be.
    fn give_back(&self, message: Outgoing) -> Result<(), Outgoing> {
        self.owed.fetch_add(1, Ordering::AcqRel);
        Err(message)
    }
}

/// A text frame for UTF-8, a binary one otherwise.
pub(super) fn frame(message: Outgoing) -> Message {
    let message = std::sync::Arc::unwrap_or_clone(message);
    match Utf8Bytes::try_from(message.clone()) {
        Ok(text) => Message::Text(text),
        Err(_) => Message::Binary(message),
    }
}
