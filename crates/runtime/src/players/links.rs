//! The connected players of one game server, as the guest's `gateway` calls
//! see them: each player's bounded queue of outgoing messages and the way to
//! close its connection with a reason.

use super::PlayStats;
use bytes::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, mpsc};

/// A message queued for a player. A queue's slot is one pointer: an idle
/// player's queue holds a block of slots from its start, a quarter the size
/// it would be with the message inline, and a broadcast shares one message.
pub type Outgoing = Arc<Bytes>;

/// The host's end of one player's connection, held by the game server. A
/// clone is another handle on the same connection.
#[derive(Clone, Debug)]
pub struct PlayerLink {
    outbound: mpsc::Sender<Outgoing>,
    close: Arc<Closing>,
}

/// The socket's end of one player's connection: the messages to write and
/// the reason to close with, once there is one. When the game server ends,
/// its queue ends too.
#[derive(Debug)]
pub struct PlayerEnd {
    /// Messages to write to the player, in order.
    pub outbound: mpsc::Receiver<Outgoing>,
    /// The host's decision to close the connection.
    pub close: CloseSignal,
}

/// The host's reason to close one player's connection, given at most once
/// (the first reason stands), and the wake-up of the socket waiting for it.
/// A tenth the size of a `watch` channel, which an idle player would hold
/// for nothing.
#[derive(Debug, Default)]
struct Closing {
    reason: Mutex<Option<String>>,
    given: Notify,
}

/// The socket's side of [`Closing`].
#[derive(Debug)]
pub struct CloseSignal(Arc<Closing>);

impl CloseSignal {
    /// The host's reason to close, once it has given one.
    pub fn reason(&self) -> Option<String> {
        self.0.reason.lock().expect("lock").clone()
    }

    /// Waits until the host gives a reason to close.
    pub async fn given(&self) {
        loop {
            // Registered before the check, so a reason given in between
            // still wakes it.
            let given = self.0.given.notified();
            if self.0.reason.lock().expect("lock").is_some() {
                return;
            }
            given.await;
        }
    }
}

impl PlayerLink {
    /// A link whose outgoing queue holds at most `queue` messages.
    pub fn new(queue: usize) -> (Self, PlayerEnd) {
        let (outbound_tx, outbound) = mpsc::channel(queue.max(1));
        let close = Arc::new(Closing::default());
        let link = Self {
            outbound: outbound_tx,
            close: close.clone(),
        };
        let end = PlayerEnd {
            outbound,
            close: CloseSignal(close),
        };
        (link, end)
    }

    fn close(&self, reason: &str) {
        let mut given = self.close.reason.lock().expect("lock");
        if given.is_none() {
            *given = Some(reason.to_owned());
            self.close.given.notify_waiters();
        }
    }
}

/// Why a message did not reach a player.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendError {
    /// The player is not connected to this game server.
    NotConnected,
    /// The player's queue was full: the player has been disconnected.
    TooSlow,
}

/// The reason a player too slow to read its messages is disconnected with.
pub const TOO_SLOW: &str = "too slow: the outgoing message queue is full";

/// Queues `message` on `link`, counting it in `stats`; a full queue is a
/// player too slow to read, a closed one a player gone.
fn deliver(link: &PlayerLink, stats: &PlayStats, message: Outgoing) -> Result<(), SendError> {
    match link.outbound.try_send(message) {
        Ok(()) => {
            stats.message_out();
            Ok(())
        }
        Err(mpsc::error::TrySendError::Full(_)) => {
            stats.slow_player();
            Err(SendError::TooSlow)
        }
        Err(mpsc::error::TrySendError::Closed(_)) => Err(SendError::NotConnected),
    }
}

/// The connected players of one game server. A clone reaches the same
/// connections, so an instance swapped in keeps the players.
#[derive(Clone, Debug)]
pub struct PlayerLinks {
    links: HashMap<String, PlayerLink>,
    stats: PlayStats,
}

impl PlayerLinks {
    /// No players yet; messages are counted in `stats`.
    pub fn new(stats: PlayStats) -> Self {
        Self {
            links: HashMap::new(),
            stats,
        }
    }

    /// The statistics messages are counted in.
    pub fn stats(&self) -> &PlayStats {
        &self.stats
    }

    /// Adds a connected player, replacing (and closing) an earlier link of
    /// the same player session.
    pub fn insert(&mut self, player_session_id: &str, link: PlayerLink) {
        if let Some(old) = self.links.insert(player_session_id.to_owned(), link) {
            old.close("replaced by a newer connection");
        }
    }

    /// Forgets a player without closing its connection: the socket is
    /// already closing.
    pub fn remove(&mut self, player_session_id: &str) {
        self.links.remove(player_session_id);
    }

    /// The connected players' session ids.
    pub fn ids(&self) -> Vec<String> {
        self.links.keys().cloned().collect()
    }

    /// Queues `message` for one player. A full queue disconnects the player.
    pub fn send(&mut self, player_session_id: &str, message: Bytes) -> Result<(), SendError> {
        let link = self
            .links
            .get(player_session_id)
            .ok_or(SendError::NotConnected)?;
        let sent = deliver(link, &self.stats, Arc::new(message));
        if let Err(error) = sent {
            self.drop_failed(player_session_id, error);
        }
        sent
    }

    /// Queues `message` for every connected player; returns how many got it.
    pub fn broadcast(&mut self, message: &Bytes) -> u32 {
        let message = Arc::new(message.clone());
        let mut sent = 0;
        let mut failed = Vec::new();
        for (id, link) in &self.links {
            match deliver(link, &self.stats, message.clone()) {
                Ok(()) => sent += 1,
                Err(error) => failed.push((id.clone(), error)),
            }
        }
        for (id, error) in failed {
            self.drop_failed(&id, error);
        }
        sent
    }

    /// Lets go of a player its message did not reach: one too slow is
    /// disconnected, one whose connection has closed forgotten.
    fn drop_failed(&mut self, player_session_id: &str, error: SendError) {
        match error {
            SendError::TooSlow => {
                self.disconnect(player_session_id, TOO_SLOW);
            }
            SendError::NotConnected => self.remove(player_session_id),
        }
    }

    /// Queues `message` for each of `ids` that is connected; returns how many
    /// got it.
    pub fn send_each<'a>(&mut self, ids: impl Iterator<Item = &'a str>, message: &Bytes) -> u32 {
        let message = Arc::new(message.clone());
        let mut sent = 0;
        for id in ids {
            let Some(link) = self.links.get(id) else {
                continue;
            };
            match deliver(link, &self.stats, message.clone()) {
                Ok(()) => sent += 1,
                Err(error) => self.drop_failed(id, error),
            }
        }
        sent
    }

    /// Closes one player's connection with `reason`; false when the player
    /// is not connected.
    pub fn disconnect(&mut self, player_session_id: &str, reason: &str) -> bool {
        match self.links.remove(player_session_id) {
            Some(link) => {
                link.close(reason);
                true
            }
            None => false,
        }
    }

    /// Closes every connection with `reason`.
    pub fn disconnect_all(&mut self, reason: &str) {
        for (_, link) in self.links.drain() {
            link.close(reason);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_queue_disconnects_the_player() {
        let mut links = PlayerLinks::new(PlayStats::default());
        let (link, mut end) = PlayerLink::new(2);
        links.insert("a", link);
        let (fast, mut fast_end) = PlayerLink::new(8);
        links.insert("b", fast);
        let message = Bytes::from_static(b"state");
        assert_eq!(links.broadcast(&message), 2);
        assert_eq!(links.broadcast(&message), 2);
        assert_eq!(links.broadcast(&message), 1, "a's queue is full");
        assert_eq!(links.ids(), vec!["b".to_owned()]);
        assert_eq!(end.close.reason().as_deref(), Some(TOO_SLOW));
        assert_eq!(*end.outbound.try_recv().unwrap(), message);
        assert_eq!(*fast_end.outbound.try_recv().unwrap(), message);
        assert_eq!(
            links.send("a", message.clone()),
            Err(SendError::NotConnected)
        );
        assert_eq!(links.stats().snapshot().messages_out, 5);
        assert_eq!(links.stats().snapshot().slow_players, 1);
    }

    #[tokio::test]
    async fn a_waiting_socket_hears_the_first_reason_given() {
        let (link, end) = PlayerLink::new(2);
        let waiting = tokio::spawn(async move {
            end.close.given().await;
            end.close.reason()
        });
        tokio::task::yield_now().await;
        link.close("kicked");
        link.close("the game server ended");
        assert_eq!(waiting.await.unwrap().as_deref(), Some("kicked"));

        let (link, end) = PlayerLink::new(2);
        link.close("given before the wait");
        end.close.given().await;
        assert_eq!(end.close.reason().as_deref(), Some("given before the wait"));
    }

    #[test]
    fn disconnect_closes_with_the_reason() {
        let mut links = PlayerLinks::new(PlayStats::default());
        let (link, end) = PlayerLink::new(2);
        links.insert("a", link);
        assert!(links.disconnect("a", "kicked"));
        assert!(!links.disconnect("a", "kicked"));
        assert_eq!(end.close.reason().as_deref(), Some("kicked"));
        let (link, end) = PlayerLink::new(2);
        links.insert("b", link);
        links.disconnect_all("the game server ended");
        assert!(links.ids().is_empty());
        assert_eq!(end.close.reason().as_deref(), Some("the game server ended"));
    }
}
