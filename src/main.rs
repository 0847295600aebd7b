// Why a different allocator: aligning a long document keeps hundreds of thousands of small
// per-segment vectors (anchors, word ids) alive while the normalizer allocates and frees
// short-lived keys and tokens between them. glibc's malloc handles that mix badly: at 100,000
// segments a profile showed a quarter of the time in `_int_malloc` and its bin consolidation,
// which made preparation grow faster than the document. mimalloc's size-segregated free lists
// keep every allocation O(1), so time grows with the input again.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    qantara::cli::run()
}
