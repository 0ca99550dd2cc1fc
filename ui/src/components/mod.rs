//! Pieces shared by several pages.

pub mod badges;
pub mod error_banner;
