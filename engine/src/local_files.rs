//! Local files as DataFusion reads them, opened on the thread that asks.
//!
//! DataFusion's local file store opens every file (and looks up every file a scan lists) on a
//! thread of the blocking pool and waits for it. For the small files of short runs the
//! hand-over costs more than the open itself, so a plain read of a whole file is opened here,
//! on the caller's thread. Anything else (ranges, preconditions, writes, listings) and every
//! failure goes to DataFusion's store, so errors read the same as before.

use std::fmt;
use std::ops::Range;
use std::os::unix::fs::MetadataExt;
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use async_trait::async_trait;
use datafusion::execution::object_store::ObjectStoreUrl;
use datafusion::execution::runtime_env::RuntimeEnv;
use datafusion::object_store::local::LocalFileSystem;
use datafusion::object_store::path::Path;
use datafusion::object_store::{
    Attributes, CopyOptions, GetOptions, GetResult, GetResultPayload, ListResult, MultipartUpload,
    ObjectMeta, ObjectStore, PutMultipartOptions, PutOptions, PutPayload, PutResult, Result,
};
use futures::stream::BoxStream;

#[derive(Debug, Default)]
pub(crate) struct LocalFiles(LocalFileSystem);

/// Serve `file://` in `runtime` from [`LocalFiles`].
pub(crate) fn register(runtime: &RuntimeEnv) {
    let url = ObjectStoreUrl::local_filesystem();
    runtime.register_object_store(url.as_ref(), Arc::new(LocalFiles::default()));
}

impl LocalFiles {
    /// A whole regular file, opened here; `None` when DataFusion's store should answer.
    fn open_whole(&self, location: &Path, options: &GetOptions) -> Option<GetResult> {
        let plain = options.range.is_none()
            && options.if_match.is_none()
            && options.if_none_match.is_none()
            && options.if_modified_since.is_none()
            && options.if_unmodified_since.is_none()
            && options.version.is_none();
        if !plain {
            return None;
        }
        let path = self.0.path_to_filesystem(location).ok()?;
        let file = std::fs::File::open(&path).ok()?;
        let metadata = file.metadata().ok().filter(|m| m.is_file())?;
        let modified = metadata.modified().ok()?;
        let micros = modified.duration_since(UNIX_EPOCH).map(|d| d.as_micros()).unwrap_or_default();
        let size = metadata.len();
        let meta = ObjectMeta {
            location: location.clone(),
            last_modified: modified.into(),
            size,
            // The tag DataFusion's store gives the same file.
            e_tag: Some(format!("{:x}-{micros:x}-{size:x}", metadata.ino())),
            version: None,
        };
        Some(GetResult {
            payload: GetResultPayload::File(file, path),
            meta,
            range: 0..size,
            attributes: Attributes::default(),
        })
    }
}

impl fmt::Display for LocalFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LocalFiles({})", self.0)
    }
}

#[async_trait]
impl ObjectStore for LocalFiles {
    async fn put_opts(&self, location: &Path, payload: PutPayload, opts: PutOptions) -> Result<PutResult> {
        self.0.put_opts(location, payload, opts).await
    }

    async fn put_multipart_opts(
        &self,
        location: &Path,
        opts: PutMultipartOptions,
    ) -> Result<Box<dyn MultipartUpload>> {
        self.0.put_multipart_opts(location, opts).await
    }

    async fn get_opts(&self, location: &Path, options: GetOptions) -> Result<GetResult> {
        match self.open_whole(location, &options) {
            Some(found) => Ok(found),
            None => self.0.get_opts(location, options).await,
        }
    }

    async fn get_ranges(&self, location: &Path, ranges: &[Range<u64>]) -> Result<Vec<bytes::Bytes>> {
        self.0.get_ranges(location, ranges).await
    }

    fn delete_stream(&self, locations: BoxStream<'static, Result<Path>>) -> BoxStream<'static, Result<Path>> {
        self.0.delete_stream(locations)
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, Result<ObjectMeta>> {
        self.0.list(prefix)
    }

    fn list_with_offset(
        &self,
        prefix: Option<&Path>,
        offset: &Path,
    ) -> BoxStream<'static, Result<ObjectMeta>> {
        self.0.list_with_offset(prefix, offset)
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> Result<ListResult> {
        self.0.list_with_delimiter(prefix).await
    }

    async fn copy_opts(&self, from: &Path, to: &Path, options: CopyOptions) -> Result<()> {
        self.0.copy_opts(from, to, options).await
    }

    async fn rename_opts(
        &self,
        from: &Path,
        to: &Path,
        options: datafusion::object_store::RenameOptions,
    ) -> Result<()> {
        self.0.rename_opts(from, to, options).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn whole_files_read_as_datafusion_store_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.csv");
        std::fs::write(&file, "x\n1\n").unwrap();
        let location = Path::from_absolute_path(&file).unwrap();
        let ours = LocalFiles::default();
        let theirs = LocalFileSystem::new();
        let mine = ours.get_opts(&location, GetOptions::default()).await.unwrap();
        let reference = theirs.get_opts(&location, GetOptions::default()).await.unwrap();
        assert_eq!(mine.meta, reference.meta);
        assert_eq!(mine.range, reference.range);
        assert_eq!(mine.bytes().await.unwrap(), reference.bytes().await.unwrap());
        // A directory and a missing file fail as DataFusion's store fails.
        for missing in [dir.path().to_path_buf(), dir.path().join("none.csv")] {
            let location = Path::from_absolute_path(&missing).unwrap();
            let mine = ours.get_opts(&location, GetOptions::default()).await.map(|_| ()).unwrap_err();
            let reference = theirs.get_opts(&location, GetOptions::default()).await.map(|_| ()).unwrap_err();
            assert_eq!(mine.to_string(), reference.to_string());
        }
    }
}
