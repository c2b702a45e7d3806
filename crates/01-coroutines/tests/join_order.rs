//! `tokio::join!` and `futures::join!` both poll their futures in turn inside one
//! task, but not in the same order: tokio starts each poll one future further on,
//! so that an always-ready first future cannot starve the others; `futures::join!`
//! always starts with the first. Our `join_all` does as `futures::join!` does.
//! Each future below is pending on its first poll and logs its second.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

type Log = Rc<RefCell<Vec<&'static str>>>;

/// Pending once (waking itself), then ready; logs its name when it finishes.
struct Step {
    name: &'static str,
    polled: bool,
    log: Log,
}

impl Future for Step {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.polled {
            self.log.borrow_mut().push(self.name);
            return Poll::Ready(());
        }
        self.polled = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

fn steps(log: &Log) -> [Step; 3] {
    ["Ada", "Grace", "Linus"].map(|name| Step {
        name,
        polled: false,
        log: Rc::clone(log),
    })
}

#[test]
fn tokio_join_starts_each_poll_one_future_further_on() {
    let log = Log::default();
    let [a, b, c] = steps(&log);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async { tokio::join!(a, b, c) });
    assert_eq!(*log.borrow(), ["Grace", "Linus", "Ada"]);
}

#[test]
fn futures_join_always_starts_with_the_first_future() {
    let log = Log::default();
    let [a, b, c] = steps(&log);
    futures::executor::block_on(async { futures::join!(a, b, c) });
    assert_eq!(*log.borrow(), ["Ada", "Grace", "Linus"]);
}

#[test]
fn hand_rolled_join_all_always_starts_with_the_first_future() {
    let log = Log::default();
    coroutines::hand::block_on(coroutines::hand::join_all(steps(&log)));
    assert_eq!(*log.borrow(), ["Ada", "Grace", "Linus"]);
}
