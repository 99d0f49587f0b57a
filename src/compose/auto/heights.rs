//! Sets of module heights as bit sets: the values of the search's states
//! (`guillotine`). A cut across adds two sets (every sum of a height of
//! each), a cut down intersects them.
//!
//! A set holds heights up to the tallest region only: a taller one can
//! never become shorter (sums grow, intersections and unions keep
//! heights), so no region could use it.

/// Words of a height set kept inline: 256 lines, more than a broadsheet's
/// type area has; a taller grid spills to the heap.
const INLINE_WORDS: usize = 4;

/// A set of heights from 0 to `max`, bit `h` for a height of `h` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Heights {
    words: smallvec::SmallVec<[u64; INLINE_WORDS]>,
    /// The tallest height the set may hold.
    max: u32,
}

impl Heights {
    pub(super) fn empty(max: u32) -> Self {
        Heights {
            words: smallvec::smallvec![0; max as usize / 64 + 1],
            max,
        }
    }
    pub(super) fn insert(&mut self, h: u32) {
        if h <= self.max {
            self.words[h as usize / 64] |= 1 << (h % 64);
        }
    }
    pub(super) fn contains(&self, h: u32) -> bool {
        h <= self.max && self.words[h as usize / 64] & (1 << (h % 64)) != 0
    }
    pub(super) fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }
    /// The heights in the set, lowest first.
    pub(super) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    wi as u32 * 64 + bit
                })
            })
        })
    }
    /// The lowest height in the set.
    pub(super) fn min(&self) -> Option<u32> {
        self.words
            .iter()
            .enumerate()
            .find(|(_, &w)| w != 0)
            .map(|(wi, w)| wi as u32 * 64 + w.trailing_zeros())
    }
    /// The tallest height in the set.
    pub(super) fn max(&self) -> Option<u32> {
        self.words
            .iter()
            .enumerate()
            .rev()
            .find(|(_, &w)| w != 0)
            .map(|(wi, w)| wi as u32 * 64 + 63 - w.leading_zeros())
    }
    pub(super) fn intersects_into(&self, other: &Heights, out: &mut Heights) {
        for ((o, a), b) in out.words.iter_mut().zip(&self.words).zip(&other.words) {
            *o |= a & b;
        }
    }
    /// The word mask of the heights from `low` to `max` in word `wi`.
    fn mask_from(&self, low: u32, wi: usize) -> u64 {
        let (first, last) = ((low / 64) as usize, (self.max / 64) as usize);
        let mut mask = match wi.cmp(&first) {
            std::cmp::Ordering::Less => 0,
            std::cmp::Ordering::Equal => u64::MAX << (low % 64),
            std::cmp::Ordering::Greater => u64::MAX,
        };
        if wi == last {
            mask &= u64::MAX >> (63 - self.max % 64);
        }
        mask
    }
    /// Whether the set holds every height from `low` to the tallest: what
    /// packing from the top makes of every set (a module may be as tall
    /// as the region), so its sums are one mask.
    fn is_suffix_from(&self, low: u32) -> bool {
        (0..self.words.len()).all(|wi| self.words[wi] == self.mask_from(low, wi))
    }
    /// Add every height from `low` to the tallest.
    fn insert_from(&mut self, low: u32) {
        if low > self.max {
            return;
        }
        for wi in (low / 64) as usize..self.words.len() {
            self.words[wi] |= self.mask_from(low, wi);
        }
    }
    fn count(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }
    /// `out |= self ⊕ other`: every sum of a height of each, up to the
    /// tallest.
    pub(super) fn sums_into(&self, other: &Heights, out: &mut Heights) {
        let (Some(low_a), Some(low_b)) = (self.min(), other.min()) else {
            return;
        };
        if low_a + low_b > out.max {
            return;
        }
        // A set that runs to the tallest sums with any other to one that
        // runs to the tallest from the sum of the lowest.
        if self.is_suffix_from(low_a) || other.is_suffix_from(low_b) {
            out.insert_from(low_a + low_b);
            return;
        }
        // Shift the denser by each height of the sparser.
        let (sparse, dense) = if self.count() <= other.count() {
            (self, other)
        } else {
            (other, self)
        };
        let words = out.words.len();
        for a in sparse.iter() {
            if a + low_b.min(low_a) > out.max {
                break;
            }
            let (shift_words, shift_bits) = ((a / 64) as usize, a % 64);
            for w in (shift_words..words).rev() {
                let src = w - shift_words;
                let mut v = dense.words[src] << shift_bits;
                if shift_bits > 0 && src > 0 {
                    v |= dense.words[src - 1] >> (64 - shift_bits);
                }
                out.words[w] |= v;
            }
        }
        let last = out.words.len() - 1;
        out.words[last] &= out.mask_from(0, last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A set from its heights, kept to `max`.
    fn set(max: u32, heights: &[u32]) -> Heights {
        let mut s = Heights::empty(max);
        heights.iter().for_each(|&h| s.insert(h));
        s
    }

    /// Sets as the search makes them: a few heights, or every height from
    /// one up (packing).
    fn heights(max: u32) -> impl Strategy<Value = Vec<u32>> {
        prop_oneof![
            proptest::collection::vec(0..=max, 0..6),
            (0..=max).prop_map(move |low| (low..=max).collect()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

        /// Sums and intersections hold what the sets' heights make, up to
        /// the tallest, and nothing else.
        #[test]
        fn sums_and_intersections_are_the_sets(
            max in 1u32..200,
            a in heights(200),
            b in heights(200),
        ) {
            let (sa, sb) = (set(max, &a), set(max, &b));
            let mut sum = Heights::empty(max);
            sa.sums_into(&sb, &mut sum);
            let mut both = Heights::empty(max);
            sa.intersects_into(&sb, &mut both);
            for h in 0..=max + 70 {
                let want = h <= max
                    && sa.iter().any(|x| x <= h && sb.contains(h - x));
                prop_assert_eq!(sum.contains(h), want, "sum at {}", h);
                prop_assert_eq!(both.contains(h), sa.contains(h) && sb.contains(h));
            }
            prop_assert!(sum.iter().all(|h| h <= max));
            prop_assert_eq!(sa.min(), sa.iter().next());
            prop_assert_eq!(sa.max(), sa.iter().last());
        }
    }
}
