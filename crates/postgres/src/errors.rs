//! PostgreSQL's and the pool's errors as the store's: a database out of
//! reach is [`StoreError::Unavailable`], anything it refused is
//! [`StoreError::Failed`].

use deadpool_postgres::PoolError;
use gamehost_model::store::StoreError;
use tokio_postgres::error::SqlState;

/// A query's error.
pub(crate) fn query(error: tokio_postgres::Error) -> StoreError {
    let unavailable = match error.code() {
        // No SQLSTATE: the connection failed, closed or timed out.
        None => true,
        Some(code) => is_unavailable(code),
    };
    // The source has the detail (the server's message, the I/O error).
    let text = match std::error::Error::source(&error) {
        Some(source) => format!("{error}: {source}"),
        None => error.to_string(),
    };
    if unavailable {
        StoreError::Unavailable(text)
    } else {
        StoreError::Failed(text)
    }
}

/// A failure to take a connection from the pool.
pub(crate) fn pool(error: PoolError) -> StoreError {
    match error {
        PoolError::Backend(error) => query(error),
        PoolError::Timeout(_) | PoolError::PostCreateHook(_) => {
            StoreError::Unavailable(format!("connecting: {error}"))
        }
        PoolError::Closed | PoolError::NoRuntimeSpecified => StoreError::Failed(error.to_string()),
    }
}

/// The server's codes for a database that is going away, starting, or
/// cannot take the connection: retrying later may succeed.
fn is_unavailable(code: &SqlState) -> bool {
    code.code().starts_with("08")
        || [
            SqlState::ADMIN_SHUTDOWN,
            SqlState::CRASH_SHUTDOWN,
            SqlState::CANNOT_CONNECT_NOW,
            SqlState::TOO_MANY_CONNECTIONS,
            SqlState::QUERY_CANCELED,
        ]
        .contains(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_going_away_is_unavailable_and_a_refusal_is_not() {
        let cases = [
            ("08006", true),
            ("08001", true),
            ("57P01", true),
            ("57P03", true),
            ("53300", true),
            ("57014", true),
            ("23505", false),
            ("42P01", false),
            ("40001", false),
        ];
        for (code, unavailable) in cases {
            assert_eq!(
                is_unavailable(&SqlState::from_code(code)),
                unavailable,
                "{code}"
            );
        }
    }
}
