//! Why a job of the engine did not do its work, as the reader and the shell are told it:
//! a value to match, not a sentence to compare. A listing stopped by a newer glance is
//! `Superseded`, which the reader answers by listing again when the section is back in
//! view, not by showing an error.

use crate::http::HttpError;
use crate::sources::feed::FeedError;
use crate::sources::page::PageError;
use crate::sources::site::SiteError;
use crate::store::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// A newer request took its place: a glance at another section stopped this listing.
    #[error("superseded by a newer request")]
    Superseded,
    /// `network`: the network itself failed (no route, no answer), not the source.
    #[error("{reason}")]
    Failed { reason: String, network: bool },
}

impl JobError {
    /// A failure that is the source's or the cache's, not the network's.
    pub fn failed(reason: impl Into<String>) -> JobError {
        JobError::Failed { reason: reason.into(), network: false }
    }

    pub fn is_network(&self) -> bool {
        matches!(self, JobError::Failed { network: true, .. })
    }
}

impl From<HttpError> for JobError {
    fn from(e: HttpError) -> JobError {
        JobError::Failed { network: e.kind.is_network(), reason: e.to_string() }
    }
}

impl From<SiteError> for JobError {
    fn from(e: SiteError) -> JobError {
        match e {
            SiteError::Http(e) => e.into(),
            other => JobError::failed(other.to_string()),
        }
    }
}

impl From<PageError> for JobError {
    fn from(e: PageError) -> JobError {
        match e {
            PageError::Http(e) => e.into(),
            other => JobError::failed(other.to_string()),
        }
    }
}

impl From<StoreError> for JobError {
    fn from(e: StoreError) -> JobError {
        JobError::failed(e.to_string())
    }
}

impl From<crate::sync::SyncError> for JobError {
    fn from(e: crate::sync::SyncError) -> JobError {
        JobError::Failed { network: e.is_network(), reason: e.to_string() }
    }
}

impl From<FeedError> for JobError {
    fn from(e: FeedError) -> JobError {
        JobError::failed(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpErrorKind;

    #[test]
    fn the_network_is_told_apart_from_the_source() {
        let http = |kind| HttpError { url: "https://a.example/feed".to_owned(), kind };
        let down: JobError = SiteError::Http(http(HttpErrorKind::Timeout)).into();
        assert!(down.is_network());
        assert_eq!(down.to_string(), "https://a.example/feed: timed out");
        let missing: JobError =
            PageError::Http(http(HttpErrorKind::Status { code: 404, reason: "404 Not Found".to_owned() })).into();
        assert!(!missing.is_network());
        assert_eq!(missing.to_string(), "https://a.example/feed: HTTP 404 Not Found");
        assert!(!JobError::Superseded.is_network());
    }
}
