//! Sets of module heights as bit sets: the values of the search's states
//! (`guillotine`). A cut across adds two sets (every sum of a height of
//! each), a cut down intersects them.

/// Words of a height set kept inline: 256 lines, more than a broadsheet's
/// type area has; a taller grid spills to the heap.
const INLINE_WORDS: usize = 4;

/// A set of heights, bit `h` for a height of `h` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Heights(smallvec::SmallVec<[u64; INLINE_WORDS]>);

impl Heights {
    pub(super) fn empty(max: u32) -> Self {
        Heights(smallvec::smallvec![0; max as usize / 64 + 1])
    }
    pub(super) fn limit(&self) -> u32 {
        self.0.len() as u32 * 64
    }
    pub(super) fn insert(&mut self, h: u32) {
        if h < self.limit() {
            self.0[h as usize / 64] |= 1 << (h % 64);
        }
    }
    pub(super) fn contains(&self, h: u32) -> bool {
        h < self.limit() && self.0[h as usize / 64] & (1 << (h % 64)) != 0
    }
    pub(super) fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }
    /// The heights in the set, lowest first.
    pub(super) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(wi, &word)| {
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
    pub(super) fn intersects_into(&self, other: &Heights, out: &mut Heights) {
        for ((o, a), b) in out.0.iter_mut().zip(&self.0).zip(&other.0) {
            *o |= a & b;
        }
    }
    /// `out |= self ⊕ other`: every sum of a height of each, within the limit.
    pub(super) fn sums_into(&self, other: &Heights, out: &mut Heights) {
        let words = self.0.len();
        for a in self.iter() {
            let (shift_words, shift_bits) = ((a / 64) as usize, a % 64);
            for w in (shift_words..words).rev() {
                let src = w - shift_words;
                let mut v = other.0[src] << shift_bits;
                if shift_bits > 0 && src > 0 {
                    v |= other.0[src - 1] >> (64 - shift_bits);
                }
                out.0[w] |= v;
            }
        }
    }
}
