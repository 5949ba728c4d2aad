//! Browser services the views use: downloads, the clipboard, storage and the parent frame.

pub mod browser;
