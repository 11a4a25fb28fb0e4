# Sourced: edge_tarball ROOT prints the edge tarball for this machine, as a gateway would install it:
# kedge-edge-<version>-linux-<arch>.tar.gz (only its own SQLite native library), or the all-Linux
# kedge-edge-<version>.tar.gz where no per-architecture tarball exists (musl, other architectures).
edge_tarball() {
  local target=$1/karaf-edge-assembly/target arch
  case "$(uname -m)" in
    x86_64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    armv6* | armv7* | armv8l) arch=arm ;;
    *) arch=none ;;
  esac
  if ldd --version 2>&1 | grep -qi musl; then arch=none; fi
  local f
  for f in "$target"/kedge-edge-*-linux-"$arch".tar.gz; do [ -f "$f" ] && { echo "$f"; return; }; done
  ls "$target"/kedge-edge-*.tar.gz 2>/dev/null | grep -v -- '-linux-' | head -n1
}
