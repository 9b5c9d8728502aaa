//! The schema, as versioned migrations applied in order, each once. A host
//! applies what its database lacks as it starts, in one transaction under
//! an advisory lock: hosts starting together take turns, and the later ones
//! find nothing left to do.

use crate::errors;
use deadpool_postgres::ClientWrapper as Client;
use gamehost_model::store::StoreError;

/// The advisory lock migrations take: "gamehost" in ASCII.
const MIGRATION_LOCK: i64 = 0x6761_6d65_686f_7374;

/// One step of the schema.
struct Migration {
    version: i32,
    name: &'static str,
    sql: &'static str,
}

/// Every migration, in order; a released one is never changed, only
/// followed by another.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "documents and hosts",
        sql: r#"
        CREATE TABLE documents (
            collection text NOT NULL,
            key text COLLATE "C" NOT NULL,
            value bytea NOT NULL,
            PRIMARY KEY (collection, key)
        );
        CREATE TABLE hosts (
            host_id text PRIMARY KEY,
            epoch bigint NOT NULL,
            address text NOT NULL,
            version text NOT NULL,
            max_game_servers integer NOT NULL,
            game_servers text NOT NULL DEFAULT '{}',
            started_at timestamptz NOT NULL,
            renewed_at timestamptz NOT NULL,
            lost_at timestamptz
        );
    "#,
    },
    Migration {
        version: 2,
        name: "documents owned by hosts",
        // What a single host stored before becomes its own: the game
        // servers, game sessions, logs, registry and audit of the host that
        // renewed its lease last. Any host finds a document's owner by key.
        sql: r#"
        ALTER TABLE documents ADD COLUMN owner text COLLATE "C" NOT NULL DEFAULT '';
        UPDATE documents
            SET owner = COALESCE((SELECT host_id FROM hosts ORDER BY renewed_at DESC LIMIT 1), '')
            WHERE collection IN ('game_servers', 'game_sessions', 'logs', 'registry', 'audit');
        ALTER TABLE documents DROP CONSTRAINT documents_pkey;
        ALTER TABLE documents ADD PRIMARY KEY (collection, owner, key);
        CREATE INDEX documents_by_key ON documents (collection, key);
    "#,
    },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// Applies the migrations `client`'s database lacks; returns the versions
/// applied now (none when another host got there first). A database whose
/// schema is newer than this build knows is refused.
pub(crate) async fn migrate(client: &mut Client) -> Result<Vec<i32>, StoreError> {
    let tx = client.transaction().await.map_err(errors::query)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(errors::query)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS gamehost_migrations (
            version integer PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )",
    )
    .await
    .map_err(errors::query)?;
    let applied: Vec<i32> = tx
        .query("SELECT version FROM gamehost_migrations", &[])
        .await
        .map_err(errors::query)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    if let Some(newer) = applied.iter().find(|v| **v > SCHEMA_VERSION) {
        return Err(StoreError::Failed(format!(
            "the database's schema is at version {newer}, newer than this gamehost's \
             ({SCHEMA_VERSION}): run a gamehost at least as new as the one that migrated it"
        )));
    }
    let mut now = Vec::new();
    for migration in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        tx.batch_execute(migration.sql)
            .await
            .map_err(errors::query)?;
        tx.execute(
            "INSERT INTO gamehost_migrations (version, name) VALUES ($1, $2)",
            &[&migration.version, &migration.name],
        )
        .await
        .map_err(errors::query)?;
        now.push(migration.version);
    }
    tx.commit().await.map_err(errors::query)?;
    Ok(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_rise_one_by_one_from_one() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, index as i32 + 1, "{}", migration.name);
        }
        assert_eq!(SCHEMA_VERSION, MIGRATIONS.len() as i32);
    }
}
