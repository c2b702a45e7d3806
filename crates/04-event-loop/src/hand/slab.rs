//! A slab: values in numbered places, with the places of removed values
//! reused. The loop keeps its tasks, its callbacks and its sockets in one
//! each, so every lookup is an index into a `Vec`, and a loop that keeps
//! spawning and finishing tasks does not grow.
//!
//! A place is reused, so a number alone cannot tell a value from the one
//! that took its place later: whoever keeps a number for long (a waker, a
//! queued callback) keeps an id beside it and checks it on lookup.

/// Values in numbered places; a freed place is reused first.
#[derive(Debug)]
pub(crate) struct Slab<T> {
    entries: Vec<Option<T>>,
    /// Places emptied by `remove`, reused last-freed first.
    free: Vec<usize>,
    len: usize,
}

impl<T> Slab<T> {
    pub(crate) const fn new() -> Slab<T> {
        Slab {
            entries: Vec::new(),
            free: Vec::new(),
            len: 0,
        }
    }

    /// The place the next `insert` will use.
    pub(crate) fn vacant(&self) -> usize {
        self.free.last().copied().unwrap_or(self.entries.len())
    }

    /// Puts `value` in a free place and returns that place.
    pub(crate) fn insert(&mut self, value: T) -> usize {
        let place = match self.free.pop() {
            Some(place) => place,
            None => {
                self.entries.push(None);
                self.entries.len() - 1
            }
        };
        self.entries[place] = Some(value);
        self.len += 1;
        place
    }

    pub(crate) fn get(&self, place: usize) -> Option<&T> {
        self.entries.get(place)?.as_ref()
    }

    pub(crate) fn get_mut(&mut self, place: usize) -> Option<&mut T> {
        self.entries.get_mut(place)?.as_mut()
    }

    /// Takes the value out of `place`. The caller drops it: when the value
    /// is the user's (a future, a callback), only after every borrow of the
    /// loop is released, since its `Drop` may use the loop.
    #[must_use = "the value is the caller's to drop, after its borrows end"]
    pub(crate) fn remove(&mut self, place: usize) -> Option<T> {
        let value = self.entries.get_mut(place)?.take()?;
        self.free.push(place);
        self.len -= 1;
        Some(value)
    }

    /// Takes the value out of `place` if `wanted` says it is the one.
    #[must_use = "the value is the caller's to drop, after its borrows end"]
    pub(crate) fn remove_if(
        &mut self,
        place: usize,
        wanted: impl FnOnce(&T) -> bool,
    ) -> Option<T> {
        if self.get(place).is_some_and(wanted) {
            self.remove(place)
        } else {
            None
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every value with its place, in place order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &T)> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(place, entry)| Some((place, entry.as_ref()?)))
    }

    /// Takes every value out, in place order, leaving the slab empty and its
    /// room given back.
    #[must_use = "the values are the caller's to drop, after its borrows end"]
    pub(crate) fn take_all(&mut self) -> Vec<T> {
        self.free.clear();
        self.len = 0;
        std::mem::take(&mut self.entries)
            .into_iter()
            .flatten()
            .collect()
    }

    /// Gives back most of the room a burst left behind, once it is empty.
    pub(crate) fn shrink_if_empty(&mut self) {
        if self.len == 0 && self.entries.capacity() > 1024 {
            self.entries = Vec::new();
            self.free = Vec::new();
        }
    }
}

impl<T> Default for Slab<T> {
    fn default() -> Slab<T> {
        Slab::new()
    }
}

#[cfg(test)]
mod tests {
    use super::Slab;

    #[test]
    fn a_freed_place_is_reused_and_the_count_follows() {
        let mut slab = Slab::new();
        let a = slab.insert("a");
        let b = slab.insert("b");
        assert_eq!(slab.len(), 2);
        assert_eq!(slab.remove(a), Some("a"));
        assert_eq!(slab.remove(a), None, "removed once");
        assert_eq!(slab.vacant(), a);
        assert_eq!(slab.insert("c"), a, "the freed place first");
        assert_eq!(slab.get(b), Some(&"b"));
        assert_eq!(slab.remove_if(b, |value| *value == "x"), None);
        assert_eq!(slab.remove_if(b, |value| *value == "b"), Some("b"));
        assert_eq!(slab.take_all(), ["c"]);
        assert!(slab.is_empty());
    }
}
