//! `Limit` and `NextToken`: one page of a list in a stable order, and the
//! token that resumes after its last item. The token is the last item's
//! sort key, so a page resumes in the right place even when items before it
//! have gone.

use super::error::AwsError;

/// The most items one page holds, whatever `Limit` asks.
pub const MAX_PAGE: usize = 100;

/// A page of items and the token of the next, if there are more.
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Where the next page starts.
    pub next_token: Option<String>,
}

/// A count a request gives (such as `Limit`), which must fit in 32 bits.
pub fn count(value: Option<i64>, member: &str) -> Result<Option<u32>, AwsError> {
    value
        .map(|n| u32::try_from(n).map_err(|_| AwsError::invalid(format!("{member} cannot be {n}"))))
        .transpose()
}

/// How many items a page holds when a request asks `limit`: `max` when it
/// asks none or more.
pub fn page_size(limit: Option<i64>, max: usize) -> Result<usize, AwsError> {
    match limit {
        None => Ok(max),
        Some(n) if n >= 1 => Ok(usize::try_from(n).map_or(max, |n| n.min(max))),
        Some(n) => Err(AwsError::invalid(format!(
            "Limit must be at least 1, got {n}"
        ))),
    }
}

/// The page of `items` (sorted by `key`, ascending) that follows
/// `next_token`, of at most `limit` items (at most [`MAX_PAGE`]).
pub fn page<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    limit: Option<i64>,
    next_token: Option<&str>,
) -> Result<Page<T>, AwsError> {
    let size = page_size(limit, MAX_PAGE)?;
    let mut rest: Vec<T> = match next_token {
        Some(token) => items
            .into_iter()
            .filter(|i| key(i).as_str() > token)
            .collect(),
        None => items,
    };
    let next_token = (rest.len() > size).then(|| key(&rest[size - 1]));
    rest.truncate(size);
    Ok(Page {
        items: rest,
        next_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_one_another_and_resume_after_their_last_key() {
        let items = || vec!["a", "b", "c", "d", "e"];
        let key = |s: &&str| (*s).to_owned();
        /// A case, the limit and token asked, the page and next token answered.
        type Case<'a> = (
            &'a str,
            Option<i64>,
            Option<&'a str>,
            &'a [&'a str],
            Option<&'a str>,
        );
        let cases: [Case; 6] = [
            ("everything", None, None, &["a", "b", "c", "d", "e"], None),
            ("a first page", Some(2), None, &["a", "b"], Some("b")),
            ("the next", Some(2), Some("b"), &["c", "d"], Some("d")),
            ("the last", Some(2), Some("d"), &["e"], None),
            (
                "after an item that has gone",
                Some(2),
                Some("bb"),
                &["c", "d"],
                Some("d"),
            ),
            (
                "a limit exactly the rest",
                Some(3),
                Some("b"),
                &["c", "d", "e"],
                None,
            ),
        ];
        for (case, limit, token, expected, next) in cases {
            let page = page(items(), key, limit, token).unwrap();
            assert_eq!(page.items, expected, "{case}");
            assert_eq!(page.next_token.as_deref(), next, "{case}");
        }
        assert!(page(items(), key, Some(0), None).is_err());
    }
}
