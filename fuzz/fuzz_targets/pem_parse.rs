//! Any bytes as PEM text: `pem::parse` returns Ok or Err, never panics, and
//! every block it returns re-encodes and parses back to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uvtool::pem;

fuzz_target!(|data: &[u8]| {
    let _ = pem::looks_like_pem(data);
    if let Ok(blocks) = pem::parse(data) {
        for b in blocks {
            if b.label.contains('\n') || b.label.contains('\r') {
                continue;
            }
            let again = pem::encode(&b.label, &b.der);
            let back = pem::parse(again.as_bytes()).expect("re-encoded PEM parses");
            assert_eq!(back[0].der, b.der);
        }
    }
});
