//! AWS Signature Version 4, verified: the signature a client computed over
//! its request with the secret access key is computed again here from the
//! request as received, and compared in constant time.

use crate::signing::{hex, hmac_sha256 as hmac};
use axum::http::HeaderMap;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};
use std::time::{Duration, SystemTime};
use subtle::ConstantTimeEq;

/// How far a request's time may be from the host's, either way.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// What SigV4 leaves unencoded: letters, digits and `-_.~`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Unreserved characters and the path's slashes.
const PATH: &AsciiSet = &UNRESERVED.remove(b'/');

/// A request as received, for its signature to be checked.
pub struct Received<'a> {
    /// The method, e.g. `POST`.
    pub method: &'a str,
    /// The path as sent, still percent-encoded.
    pub path: &'a str,
    /// The query string as sent, without `?`.
    pub query: &'a str,
    /// Every header.
    pub headers: &'a HeaderMap,
    /// The body.
    pub body: &'a [u8],
}

/// Why a signature was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No `Authorization` header, or not a SigV4 one.
    #[error("the request is not signed with AWS Signature Version 4")]
    Missing,
    /// The `Authorization` or `X-Amz-Date` header cannot be read.
    #[error("the request's signature is malformed: {0}")]
    Malformed(String),
    /// The request's time is too far from the host's.
    #[error("the request's time {0} is more than 15 minutes from the host's")]
    Skewed(String),
    /// No token may sign with the access key id given (the reason).
    #[error("{0}")]
    NoSigner(String),
    /// The signature is not the one the secret key gives.
    #[error(
        "the request signature we calculated does not match the signature you provided; check your secret access key"
    )]
    Mismatch,
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 …` header.
struct Authorization<'a> {
    /// Who claims to sign.
    access_key_id: &'a str,
    /// `DATE/REGION/SERVICE/aws4_request`.
    scope: &'a str,
    date: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Authorization<'_>, SignatureError> {
    let fields = value
        .strip_prefix(ALGORITHM)
        .ok_or(SignatureError::Missing)?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for field in fields.split(',').map(str::trim) {
        match field.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => {}
        }
    }
    let malformed = |what: &str| SignatureError::Malformed(format!("no {what} in Authorization"));
    let credential = credential.ok_or_else(|| malformed("Credential"))?;
    let (access_key_id, scope) = credential
        .split_once('/')
        .ok_or_else(|| malformed("credential scope"))?;
    let parts: Vec<&str> = scope.split('/').collect();
    if parts.len() != 4 || parts[3] != "aws4_request" {
        return Err(SignatureError::Malformed(format!(
            "the credential scope {scope:?} is not DATE/REGION/SERVICE/aws4_request"
        )));
    }
    let signed_headers: Vec<&str> = signed
        .ok_or_else(|| malformed("SignedHeaders"))?
        .split(';')
        .collect();
    if !signed_headers.contains(&"host") {
        return Err(SignatureError::Malformed(
            "the Host header must be signed".into(),
        ));
    }
    Ok(Authorization {
        access_key_id,
        scope,
        date: parts[0],
        signed_headers,
        signature: signature.ok_or_else(|| malformed("Signature"))?,
    })
}

/// Checks the request's signature at time `now` with the first key
/// (SigV4's `"AWS4" + secret`, or the hash HMAC makes of a key that long)
/// of the token its access key id claims, which `first_key` gives.
pub fn verify(
    request: &Received<'_>,
    now: SystemTime,
    first_key: impl FnOnce(&str) -> Result<Vec<u8>, SignatureError>,
) -> Result<(), SignatureError> {
    let authorization = request
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(SignatureError::Missing)?;
    let authorization = parse_authorization(authorization)?;
    let amz_date = header(request.headers, "x-amz-date")
        .ok_or_else(|| SignatureError::Malformed("no X-Amz-Date header".into()))?;
    let at = parse_amz_date(&amz_date)?;
    let skew = now
        .duration_since(at)
        .or_else(|_| at.duration_since(now))
        .unwrap_or_default();
    if skew > MAX_CLOCK_SKEW {
        return Err(SignatureError::Skewed(amz_date));
    }
    if !amz_date.starts_with(authorization.date) {
        return Err(SignatureError::Malformed(
            "the credential scope's date is not X-Amz-Date's".into(),
        ));
    }
    let canonical = canonical_request(request, &authorization.signed_headers);
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{}\n{}",
        authorization.scope,
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut key = first_key(authorization.access_key_id)?;
    for part in authorization.scope.split('/') {
        key = hmac(&key, part.as_bytes());
    }
    let expected = hex(&hmac(&key, string_to_sign.as_bytes()));
    if bool::from(
        expected
            .as_bytes()
            .ct_eq(authorization.signature.as_bytes()),
    ) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

fn canonical_request(request: &Received<'_>, signed_headers: &[&str]) -> String {
    let headers: String = signed_headers
        .iter()
        .map(|name| {
            let values: Vec<String> = request
                .headers
                .get_all(*name)
                .iter()
                .map(|v| collapse_spaces(&String::from_utf8_lossy(v.as_bytes())))
                .collect();
            format!("{name}:{}\n", values.join(","))
        })
        .collect();
    format!(
        "{}\n{}\n{}\n{headers}\n{}\n{}",
        request.method,
        canonical_path(request.path),
        canonical_query(request.query),
        signed_headers.join(";"),
        hex(&Sha256::digest(request.body))
    )
}

/// The path encoded once more, as SigV4 does for every service but S3.
fn canonical_path(path: &str) -> String {
    if path.is_empty() {
        return "/".into();
    }
    utf8_percent_encode(path, PATH).to_string()
}

/// The query's parameters decoded, encoded the SigV4 way, and sorted.
fn canonical_query(query: &str) -> String {
    let encode = |s: &str| {
        let decoded = percent_decode_str(s).decode_utf8_lossy();
        utf8_percent_encode(&decoded, UNRESERVED).to_string()
    };
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (encode(k), encode(v))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn collapse_spaces(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_owned)
}

/// `YYYYMMDDTHHMMSSZ` as a time.
fn parse_amz_date(value: &str) -> Result<SystemTime, SignatureError> {
    let bad = || SignatureError::Malformed(format!("X-Amz-Date {value:?} is not YYYYMMDDTHHMMSSZ"));
    let b = value.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return Err(bad());
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &value[0..4],
        &value[4..6],
        &value[6..8],
        &value[9..11],
        &value[11..13],
        &value[13..15]
    );
    humantime::parse_rfc3339(&rfc3339).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    /// The secret of AWS's published SigV4 test suite.
    const SECRET: &[u8] = b"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /// AWS's `get-vanilla` case: `GET /` to example.amazonaws.com, signed
    /// for the service `service` in us-east-1 at 2015-08-30 12:36:00 UTC.
    fn vanilla(signature: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("example.amazonaws.com"));
        headers.insert("x-amz-date", HeaderValue::from_static("20150830T123600Z"));
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, Signature={signature}"
        );
        headers.insert(
            axum::http::header::AUTHORIZATION,
            HeaderValue::from_str(&authorization).unwrap(),
        );
        headers
    }

    fn at(rfc3339: &str) -> SystemTime {
        humantime::parse_rfc3339(rfc3339).unwrap()
    }

    #[test]
    fn signatures_are_checked_as_aws_computes_them() {
        let good = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
        let bad = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf30";
        /// A case, the request's headers, the secret, the time and the outcome.
        type Case<'a> = (
            &'a str,
            HeaderMap,
            &'a [u8],
            &'a str,
            Result<(), SignatureError>,
        );
        let cases: [Case; 6] = [
            (
                "AWS's vanilla request",
                vanilla(good),
                SECRET,
                "2015-08-30T12:36:00Z",
                Ok(()),
            ),
            (
                "a wrong signature",
                vanilla(bad),
                SECRET,
                "2015-08-30T12:36:00Z",
                Err(SignatureError::Mismatch),
            ),
            (
                "another secret",
                vanilla(good),
                b"not-the-secret",
                "2015-08-30T12:36:00Z",
                Err(SignatureError::Mismatch),
            ),
            (
                "14 minutes later",
                vanilla(good),
                SECRET,
                "2015-08-30T12:50:00Z",
                Ok(()),
            ),
            (
                "16 minutes earlier",
                vanilla(good),
                SECRET,
                "2015-08-30T12:20:00Z",
                Err(SignatureError::Skewed("20150830T123600Z".into())),
            ),
            (
                "no signature",
                HeaderMap::new(),
                SECRET,
                "2015-08-30T12:36:00Z",
                Err(SignatureError::Missing),
            ),
        ];
        for (case, headers, secret, now, expected) in cases {
            let request = Received {
                method: "GET",
                path: "/",
                query: "",
                headers: &headers,
                body: b"",
            };
            let first_key = |id: &str| {
                assert_eq!(id, "AKIDEXAMPLE");
                Ok([b"AWS4".as_slice(), secret].concat())
            };
            assert_eq!(verify(&request, at(now), first_key), expected, "{case}");
        }
        let headers = vanilla(good);
        let request = Received {
            method: "GET",
            path: "/",
            query: "",
            headers: &headers,
            body: b"",
        };
        let nobody = |_: &str| Err(SignatureError::NoSigner("no one signs".into()));
        assert_eq!(
            verify(&request, at("2015-08-30T12:36:00Z"), nobody),
            Err(SignatureError::NoSigner("no one signs".into()))
        );
    }

    #[test]
    fn queries_and_paths_are_put_in_canonical_form() {
        let cases = [
            ("b=2&a=1", "a=1&b=2"),
            ("a=x%20y&a=b", "a=b&a=x%20y"),
            ("flag", "flag="),
            ("k=%7e~", "k=~~"),
            ("", ""),
        ];
        for (query, canonical) in cases {
            assert_eq!(canonical_query(query), canonical, "{query}");
        }
        assert_eq!(canonical_path("/"), "/");
        assert_eq!(canonical_path("/a b/%41"), "/a%20b/%2541");
    }
}
