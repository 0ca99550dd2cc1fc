//! The importers fed arbitrary bytes, and valid files with bytes flipped, answer with problems
//! and never panic.
#![allow(clippy::unwrap_used, reason = "a test fails on purpose")]

mod fmea_fixture;

use std::sync::OnceLock;

use proptest::prelude::*;
use uuid::Uuid;
use vigil_engine::fmea::{read_bundle, read_csv, read_xlsx, write_csv, write_xlsx, Bundle};

fn valid() -> &'static (Vec<u8>, Vec<u8>, Vec<u8>) {
    static FILES: OnceLock<(Vec<u8>, Vec<u8>, Vec<u8>)> = OnceLock::new();
    FILES.get_or_init(|| {
        let fmea = fmea_fixture::rich_fmea();
        (
            write_xlsx(&fmea).unwrap(),
            write_csv(&fmea).unwrap(),
            Bundle::new(fmea, None).to_bytes().unwrap(),
        )
    })
}

fn spoil(file: &[u8], flips: &[(usize, u8)]) -> Vec<u8> {
    let mut bytes = file.to_vec();
    for (at, byte) in flips {
        let i = at % bytes.len();
        bytes[i] = *byte;
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_are_refused_by_every_importer(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        prop_assert!(read_xlsx(&bytes, "x", &mut Uuid::now_v7).is_err());
        prop_assert!(read_bundle(&bytes).is_err());
        prop_assert!(read_csv(&bytes, "x", &mut Uuid::now_v7).is_err());
    }

    #[test]
    fn a_valid_xlsx_with_bytes_flipped_never_panics(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let _ = read_xlsx(&spoil(&valid().0, &flips), "x", &mut Uuid::now_v7);
    }

    #[test]
    fn a_valid_csv_with_bytes_flipped_never_panics(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let _ = read_csv(&spoil(&valid().1, &flips), "x", &mut Uuid::now_v7);
    }

    #[test]
    fn a_valid_bundle_with_bytes_flipped_never_panics(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let _ = read_bundle(&spoil(&valid().2, &flips));
    }
}

#[test]
fn the_unspoiled_files_read_back() {
    let (xlsx, csv, bundle) = valid();
    assert!(read_xlsx(xlsx, "x", &mut Uuid::now_v7).is_ok());
    assert!(read_csv(csv, "x", &mut Uuid::now_v7).is_ok());
    assert!(read_bundle(bundle).is_ok());
}
