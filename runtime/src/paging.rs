//! Paged lists: every page of an operation, or every item with its page.

use std::future::Future;
use std::sync::Arc;

use futures_util::{Stream, StreamExt, stream};

use crate::error::Error;
use crate::response::Response;

/// An item of a paged list, with the page it came in: the page resolves the
/// item's associations. Dereferences to the item.
#[derive(Debug, Clone)]
pub struct Paged<T, P> {
    item: T,
    page: Arc<P>,
}

impl<T, P> Paged<T, P> {
    /// The response body the item came in, shared by the items of one page.
    pub fn page(&self) -> &P {
        &self.page
    }

    /// The item, without its page.
    pub fn into_inner(self) -> T {
        self.item
    }
}

impl<T, P> std::ops::Deref for Paged<T, P> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.item
    }
}

/// Fetches page `start`, then the next while `page_count` says there are
/// more; ends after the first error.
pub fn pages<P, E, F, Fut>(
    start: u64,
    fetch: F,
    page_count: fn(&P) -> Option<u64>,
) -> impl Stream<Item = Result<Response<P>, Error<E>>>
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<Response<P>, Error<E>>>,
{
    let state = (Some(start), fetch);
    stream::unfold(state, move |(next, mut fetch)| async move {
        let number = next?;
        match fetch(number).await {
            Ok(page) => {
                let more = page_count(&page).is_some_and(|count| number < count);
                let next = if more { number.checked_add(1) } else { None };
                Some((Ok(page), (next, fetch)))
            }
            Err(e) => Some((Err(e), (None, fetch))),
        }
    })
}

/// The items of every page of `pages`, in order, each with its page.
pub fn items<T, P, E>(
    pages: impl Stream<Item = Result<Response<P>, Error<E>>>,
    items_of: fn(&P) -> Vec<T>,
) -> impl Stream<Item = Result<Paged<T, P>, Error<E>>> {
    pages.flat_map(move |page| {
        let items: Vec<Result<Paged<T, P>, Error<E>>> = match page {
            Ok(page) => {
                let page = Arc::new(page.into_inner());
                items_of(&page)
                    .into_iter()
                    .map(|item| {
                        Ok(Paged {
                            item,
                            page: Arc::clone(&page),
                        })
                    })
                    .collect()
            }
            Err(e) => vec![Err(e)],
        };
        stream::iter(items)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::RawResponse;
    use reqwest::StatusCode;

    /// A page: its number and the count of pages.
    fn page(number: u64, count: u64) -> Result<Response<(u64, u64)>, Error<()>> {
        let raw = RawResponse {
            status: StatusCode::OK,
            headers: Default::default(),
            body: serde_json::to_vec(&(number, count)).unwrap(),
        };
        raw.json()
    }

    #[tokio::test]
    async fn pages_are_fetched_until_the_count_and_items_keep_their_page() {
        let fetched = pages(2, |n| async move { page(n, 4) }, |p| Some(p.1));
        let numbers: Vec<u64> = fetched.map(|p| p.unwrap().0).collect().await;
        assert_eq!(numbers, [2, 3, 4]);

        let fetched = pages(1, |n| async move { page(n, 2) }, |p| Some(p.1));
        let all: Vec<_> = items(fetched, |p| vec![p.0 * 10, p.0 * 10 + 1])
            .collect()
            .await;
        let seen: Vec<(u64, u64)> = all
            .iter()
            .map(|item| {
                let item = item.as_ref().unwrap();
                (**item, item.page().0)
            })
            .collect();
        assert_eq!(seen, [(10, 1), (11, 1), (20, 2), (21, 2)]);
    }

    #[tokio::test]
    async fn the_stream_ends_after_the_first_error() {
        let fetched = pages(
            1,
            |n| async move {
                if n == 2 {
                    Err(Error::InvalidRequest("no".into()))
                } else {
                    page(n, 9)
                }
            },
            |p| Some(p.1),
        );
        let results: Vec<_> = fetched.collect().await;
        assert_eq!(results.len(), 2);
        assert!(results[1].is_err());
    }
}
