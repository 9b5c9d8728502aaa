//! Following the GameServer through `/watch/gameserver`, reconnecting with
//! backoff when the stream breaks; the latest GameServer is published.

use crate::backoff::Backoff;
use crate::client::SdkClient;
use crate::wire::GameServer;
use tokio::sync::watch;

/// Publishes each GameServer the sidecar sends until the task is aborted.
pub async fn follow_forever(client: SdkClient, latest: watch::Sender<Option<GameServer>>) {
    let mut backoff = Backoff::default();
    loop {
        let error = match client.watch().await {
            Ok(mut stream) => loop {
                match stream.next().await {
                    Ok(Some(game_server)) => {
                        if backoff.is_failing() {
                            tracing::info!("following the GameServer again");
                        }
                        backoff.reset();
                        latest.send_replace(Some(game_server));
                    }
                    Ok(None) => break "the stream ended".to_owned(),
                    Err(error) => break error.to_string(),
                }
            },
            Err(error) => error.to_string(),
        };
        if !backoff.is_failing() {
            tracing::warn!(%error, "lost the GameServer's watch; matches keep running, reconnecting");
        }
        tokio::time::sleep(backoff.fail()).await;
    }
}
