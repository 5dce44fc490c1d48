//! The values of the rows of a column that have one, in order: what the
//! cache writes of a column, and the greatest person code of aggregation.
//! By blocks of 64 rows of the validity, each block's values taken by the
//! bits set in its word (polars' own iterator of the present values finds
//! each row by a search of its own: 35 ms for a maximum over 10 M rows).

use polars_arrow::array::PrimitiveArray;
use polars_arrow::types::NativeType;

/// The values of the rows of `arr` that have one, in order.
pub(crate) fn valeurs_presentes<T: NativeType>(
    arr: &PrimitiveArray<T>,
) -> impl Iterator<Item = T> + '_ {
    let valeurs = arr.values().as_slice();
    let (toutes, par_blocs) = match arr.validity().filter(|v| v.unset_bits() > 0) {
        None => (Some(valeurs.iter().copied()), None),
        Some(validite) => {
            let mots = validite.chunks::<u64>();
            let reste = mots.remainder();
            let blocs = mots
                .chain(std::iter::once(reste))
                .zip(valeurs.chunks(64))
                .flat_map(|(mot, bloc)| Bloc { bloc, mot });
            (None, Some(blocs))
        }
    };
    toutes
        .into_iter()
        .flatten()
        .chain(par_blocs.into_iter().flatten())
}

/// The values of `bloc` (at most 64) whose bit is set in `mot`, the first
/// row in the lowest bit.
struct Bloc<'a, T> {
    bloc: &'a [T],
    mot: u64,
}

impl<T: Copy> Iterator for Bloc<'_, T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        while self.mot != 0 {
            let k = self.mot.trailing_zeros() as usize;
            self.mot &= self.mot - 1;
            // Bits past the last row (a last block shorter than 64) are
            // not rows.
            if let Some(v) = self.bloc.get(k) {
                return Some(*v);
            }
        }
        None
    }
}
