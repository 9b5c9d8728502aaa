//! What the fuzz targets share: how a fuzz input spells a control-plane
//! request, the daemon's router that answers it, and the model that runs
//! the validation the daemon runs past its lookups.

pub mod model;
pub mod router;

/// A control-plane request as a fuzz input spells it: a first line
/// `METHOD PATH` (the path with its query), then the body, e.g.
/// `POST /v1/allocations\n{"selectors": []}`.
#[derive(Clone, Copy, Debug)]
pub struct FuzzRequest<'a> {
    /// The HTTP method, e.g. `PATCH`.
    pub method: &'a str,
    /// The path and query, e.g. `/v1/playersessions?limit=5`.
    pub target: &'a str,
    /// The body, sent as `application/json`.
    pub body: &'a [u8],
}

impl<'a> FuzzRequest<'a> {
    /// Reads a request from fuzz input; `None` when the first line is not
    /// UTF-8 or has no space.
    pub fn parse(data: &'a [u8]) -> Option<Self> {
        let end = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
        let line = std::str::from_utf8(&data[..end]).ok()?;
        let (method, target) = line.split_once(' ')?;
        Some(Self {
            method,
            target,
            body: data.get(end + 1..).unwrap_or_default(),
        })
    }

    /// The path without the query.
    pub fn path(&self) -> &'a str {
        self.target
            .split_once('?')
            .map_or(self.target, |(path, _)| path)
    }

    /// The path's segments (see [`segments`]).
    pub fn segments(&self) -> Vec<&'a str> {
        segments(self.path())
    }

    /// Whether the router reads the same path as [`Self::path`] (a target
    /// starting with `//` names a host, for example).
    pub fn routed_as_written(&self) -> bool {
        axum::http::Uri::try_from(self.target).is_ok_and(|uri| uri.path() == self.path())
    }
}

/// A path's segments, e.g. `["v1", "fleets", "arena"]` for `/v1/fleets/arena`;
/// none when the path does not start with `/`.
pub fn segments(path: &str) -> Vec<&str> {
    path.strip_prefix('/')
        .map_or_else(Vec::new, |path| path.split('/').collect())
}
