//! What the daemon asks of a database: apply a batch of writes atomically
//! (durably at once, or with the next durable batch), read one key, read a
//! collection. The daemon keeps its state as JSON documents (and module
//! bytes) in a few named collections.

/// A named set of key → value documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collection {
    /// Module metadata, by module id.
    Modules,
    /// Module component bytes, by module id.
    ModuleBytes,
    /// Fleets, by name.
    Fleets,
    /// Game server records, by name.
    GameServers,
    /// Game sessions with their player sessions, by game session id.
    GameSessions,
    /// FleetIQ registry entries, by game server id.
    Registry,
    /// What guests logged during a game session, by game session id.
    Logs,
    /// The audit log's entries, by sequence number (zero-padded).
    Audit,
}

impl Collection {
    /// Every collection.
    pub const ALL: [Collection; 8] = [
        Self::Modules,
        Self::ModuleBytes,
        Self::Fleets,
        Self::GameServers,
        Self::GameSessions,
        Self::Registry,
        Self::Logs,
        Self::Audit,
    ];

    /// Whether each host of a cluster keeps its own documents of this
    /// collection (its game servers, game sessions, logs, registry and
    /// audit), rather than sharing them with the others (modules and
    /// fleets).
    pub fn is_host_owned(self) -> bool {
        !matches!(self, Self::Modules | Self::ModuleBytes | Self::Fleets)
    }

    /// The collections a live host takes over from a host declared lost:
    /// its game servers, game sessions and their logs, to close them.
    pub const TAKEN_OVER: [Collection; 3] = [Self::GameServers, Self::GameSessions, Self::Logs];

    /// The collection named `name` in the database.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The collection's name in the database.
    pub fn name(self) -> &'static str {
        match self {
            Self::Modules => "modules",
            Self::ModuleBytes => "module_bytes",
            Self::Fleets => "fleets",
            Self::GameServers => "game_servers",
            Self::GameSessions => "game_sessions",
            Self::Registry => "registry",
            Self::Logs => "logs",
            Self::Audit => "audit",
        }
    }
}

/// One change to a collection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Write {
    /// Sets `key` to `value`.
    Put {
        /// Where.
        collection: Collection,
        /// The key.
        key: String,
        /// The document.
        value: Vec<u8>,
    },
    /// Removes `key`, if present.
    Delete {
        /// Where.
        collection: Collection,
        /// The key.
        key: String,
    },
}

impl Write {
    /// A put of `value` as it is: bytes, or a document already serialized.
    pub fn put(collection: Collection, key: impl Into<String>, value: Vec<u8>) -> Self {
        Self::Put {
            collection,
            key: key.into(),
            value,
        }
    }

    /// A put of `value` serialized as JSON.
    pub fn json(
        collection: Collection,
        key: impl Into<String>,
        value: &impl serde::Serialize,
    ) -> Self {
        let value = serde_json::to_vec(value).expect("the daemon's documents serialize to JSON");
        Self::put(collection, key, value)
    }

    /// The document it changes.
    pub fn target(&self) -> (Collection, &str) {
        match self {
            Self::Put {
                collection, key, ..
            }
            | Self::Delete { collection, key } => (*collection, key),
        }
    }

    /// A delete.
    pub fn delete(collection: Collection, key: impl Into<String>) -> Self {
        Self::Delete {
            collection,
            key: key.into(),
        }
    }
}

/// A storage failure: the database could not be opened, read or written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached now (down, restarting, unreachable,
    /// or too slow to answer); the same request may succeed later.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// This host's lease was taken over: another host declared it lost, and
    /// the database refuses what it writes.
    #[error("this host's lease was taken over: {0}")]
    Fenced(String),
    /// Anything else: the database refused or failed the operation.
    #[error("storage: {0}")]
    Failed(String),
}

impl StoreError {
    /// Whether the database could not be reached, as opposed to refusing.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable(_))
    }

    /// The same error, its message starting with `what` was being done.
    pub fn context(self, what: &str) -> Self {
        match self {
            Self::Unavailable(m) => Self::Unavailable(format!("{what}: {m}")),
            Self::Fenced(m) => Self::Fenced(format!("{what}: {m}")),
            Self::Failed(m) => Self::Failed(format!("{what}: {m}")),
        }
    }
}

/// When a transaction must reach the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// Before `apply` returns: someone is waiting to acknowledge it.
    Immediate,
    /// With the next immediate transaction: nobody waits for it, and a crash
    /// may lose it (but never only part of it, nor anything before an
    /// immediate one).
    Deferred,
}

/// What the daemon needs from a database.
pub trait Store: Send + Sync + 'static {
    /// Applies `writes` in order, all or none; returns once they are durable
    /// when `durability` is [`Durability::Immediate`], together with every
    /// deferred transaction before them.
    fn apply(&self, writes: &[Write], durability: Durability) -> Result<(), StoreError>;

    /// One document.
    fn get(&self, collection: Collection, key: &str) -> Result<Option<Vec<u8>>, StoreError>;

    /// Every document of a collection, by key.
    fn scan(&self, collection: Collection) -> Result<Vec<(String, Vec<u8>)>, StoreError>;

    /// The documents of a collection whose keys start with `prefix`, by key.
    fn scan_prefix(
        &self,
        collection: Collection,
        prefix: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError>;
}
