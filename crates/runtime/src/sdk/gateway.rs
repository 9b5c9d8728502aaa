//! `gamehost:sdk/gateway`: sending to the players connected over the host's
//! WebSocket gateway, each through its bounded queue.

use super::{SdkCtx, SdkFunction};
use crate::bindings::gateway::Host;
use crate::bindings::types::SdkError;
use crate::players::{MAX_CLOSE_REASON_BYTES, MAX_MESSAGE_BYTES, SendError, TOO_SLOW};
use bytes::Bytes;
use gamehost_model::Error;

/// The most player session ids one `send-many` names.
pub const MAX_RECIPIENTS: usize = 1024;

fn checked(message: Vec<u8>) -> Result<Bytes, SdkError> {
    if message.len() > MAX_MESSAGE_BYTES {
        return Err(Error::invalid_argument(format!(
            "messages are at most {MAX_MESSAGE_BYTES} bytes, got {}",
            message.len()
        ))
        .into());
    }
    Ok(Bytes::from(message))
}

fn not_connected(player_session_id: &str) -> SdkError {
    Error::not_found(format!(
        "player session {player_session_id:?} is not connected"
    ))
    .into()
}

impl Host for SdkCtx {
    fn send(&mut self, player_session_id: String, message: Vec<u8>) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::Send);
        let message = checked(message)?;
        self.players
            .send(&player_session_id, message)
            .map_err(|e| match e {
                SendError::NotConnected => not_connected(&player_session_id),
                SendError::TooSlow => Error::unavailable(format!(
                    "player session {player_session_id:?} was disconnected: {TOO_SLOW}"
                ))
                .into(),
            })
    }

    fn send_many(
        &mut self,
        player_session_ids: Vec<String>,
        message: Vec<u8>,
    ) -> Result<u32, SdkError> {
        self.calls.count(SdkFunction::SendMany);
        if player_session_ids.len() > MAX_RECIPIENTS {
            return Err(Error::invalid_argument(format!(
                "send-many names at most {MAX_RECIPIENTS} players, got {}",
                player_session_ids.len()
            ))
            .into());
        }
        let message = checked(message)?;
        Ok(self
            .players
            .send_each(player_session_ids.iter().map(String::as_str), &message))
    }

    fn broadcast(&mut self, message: Vec<u8>) -> Result<u32, SdkError> {
        self.calls.count(SdkFunction::Broadcast);
        let message = checked(message)?;
        Ok(self.players.broadcast(&message))
    }

    fn disconnect(&mut self, player_session_id: String, reason: String) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::Disconnect);
        if reason.len() > MAX_CLOSE_REASON_BYTES {
            return Err(Error::invalid_argument(format!(
                "a disconnect reason is at most {MAX_CLOSE_REASON_BYTES} bytes, got {}",
                reason.len()
            ))
            .into());
        }
        if self.players.disconnect(&player_session_id, &reason) {
            Ok(())
        } else {
            Err(not_connected(&player_session_id))
        }
    }

    fn connected(&mut self) -> Vec<String> {
        self.calls.count(SdkFunction::Connected);
        self.players.ids()
    }
}
