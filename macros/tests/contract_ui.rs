//! `#[domain_events::contract(Event)]`, compiled by trybuild against the
//! worked example's catalog: each error a user can meet is a file in
//! `tests/ui/` with the expected compiler output beside it
//! (`TRYBUILD=overwrite` rewrites them; read the diff).

#[test]
fn contract_structs_are_checked_against_the_catalog() {
    // trybuild's own cargo runs inherit this: its crates link without debug
    // info, which the compiler's messages never use.
    std::env::set_var("CARGO_PROFILE_DEV_DEBUG", "false");
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass_*.rs");
    cases.compile_fail("tests/ui/fail_*.rs");
}
