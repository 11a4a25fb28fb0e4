#!/bin/bash
# The base image under Kedge's cloud image, assembled without a registry or a Docker daemon from what this Debian
# machine has installed: busybox-static (a shell and the tools Karaf's start script uses), the C libraries the JVM
# links against (glibc, libstdc++, libgcc, zlib), a jlink'd Java runtime made from the installed JDK's jmods, and an
# unprivileged user kedge (65532). Written in `docker save` format, which Jib reads as `tar://` base image.
# Usage: base-image.sh <java home with jmods> <output tar>. Skips the work when the output exists (mvn clean redoes it).
set -euo pipefail
JDK=$1; OUT=$2
if [ -s "$OUT" ]; then echo "base image $OUT exists"; exit 0; fi
[ -d "$JDK/jmods" ] || { echo "base-image.sh: $JDK/jmods missing: install openjdk-17-jdk-headless" >&2; exit 1; }
# grep reads the whole list (-q would stop early: under pipefail, busybox's SIGPIPE failed this check at random)
[ -x /bin/busybox ] && /bin/busybox --list | grep -x sh >/dev/null || {
  echo "base-image.sh: /bin/busybox (static) missing: apt-get install busybox-static" >&2; exit 1; }
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
OS=$W/os; JRE=$W/jre
t0=$(date +%s)

# 1. the Java runtime: every java.* module (bundles import javax.* packages that Karaf's framework exports) plus the
# jdk.* modules Karaf's start script and our bundles use (EC keys, zipfs, DNS, Unsafe, JAAS). Not compressed by
# jlink: the layer is gzipped anyway and that comes out smaller (37 MB vs 44 MB compressed, 104 MB vs 62 MB on disk)
MODULES=java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,jdk.naming.dns,jdk.naming.rmi,jdk.xml.dom
MODULES=$MODULES,jdk.management,jdk.security.auth,jdk.net,jdk.charsets,jdk.localedata
mkdir -p "$JRE/opt"
"$JDK/bin/jlink" --module-path "$JDK/jmods" --add-modules "$MODULES" --strip-debug --no-man-pages \
  --no-header-files --compress=0 --output "$JRE/opt/java"
# Debian's jmods carry the legal files as symlinks into /usr/share: make them files
find "$JRE/opt/java/legal" -type l | while read -r l; do cp --remove-destination "$(readlink -f "$l")" "$l"; done

# 2. the OS layer: busybox, the shared libraries of the runtime (and the loader), users, writable mount points
mkdir -p "$OS"/{bin,sbin,etc,tmp,proc,sys,dev,usr/bin,var/lib/kedge,etc/kedge,usr/share/kedge}
cp /bin/busybox "$OS/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$OS/bin/$a"; done
# AWT's native parts (java.desktop) are never loaded by a headless server: their X11/font libraries stay out
libs=$(find "$JRE/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) ! -name 'libawt*' ! -name 'libfontmanager.so' \
  ! -name 'libjsound.so' ! -name 'libsplashscreen.so' ! -name 'liblcms.so' ! -name 'libjavajpeg.so' \
  ! -name 'libmlib_image.so' ! -name 'libjawt.so' -exec ldd {} + 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | grep -v "^$W/" | sort -u)
for l in $libs; do
  real=$(readlink -f "$l"); mkdir -p "$OS$(dirname "$l")"; cp "$real" "$OS$l"
  pkg=$( (dpkg -S "$l" 2>/dev/null || dpkg -S "$real" 2>/dev/null) | head -n1 | cut -d: -f1) || true
  [ -n "$pkg" ] && echo "$pkg $(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null)" >> "$W/pkgs"
done
echo "busybox-static $(dpkg-query -W -f='${Version}' busybox-static)" >> "$W/pkgs"
sort -u "$W/pkgs" > "$OS/usr/share/kedge/base-packages.txt"
printf '%s\n' "$(dirname $libs | sort -u)" > "$W/ld.so.conf"
mkdir -p "$OS/etc"; cp "$W/ld.so.conf" "$OS/etc/ld.so.conf"; ldconfig -r "$OS" 2>/dev/null || true
printf 'root:x:0:0:root:/root:/sbin/nologin\nkedge:x:65532:65532:kedge:/var/lib/kedge:/sbin/nologin\n' > "$OS/etc/passwd"
printf 'root:x:0:\nkedge:x:65532:\n' > "$OS/etc/group"
printf 'hosts: files dns\n' > "$OS/etc/nsswitch.conf"
chmod 1777 "$OS/tmp"

# 3. docker-save archive: two uncompressed layers (Jib gzips them), a config, a manifest
# /var/lib/kedge belongs to the kedge user (an emptyDir replaces it in a pod; without one it is at least its own)
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$OS" --exclude=./var/lib/kedge -cf "$W/os.tar" .
tar --sort=name --mtime=@0 --owner=65532 --group=65532 --numeric-owner -C "$OS" -rf "$W/os.tar" ./var/lib/kedge
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$JRE" -cf "$W/jre.tar" .
d_os=$(sha256sum "$W/os.tar" | cut -d' ' -f1); d_jre=$(sha256sum "$W/jre.tar" | cut -d' ' -f1)
arch=$(dpkg --print-architecture)
printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin:/sbin","JAVA_HOME=/opt/java"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s","sha256:%s"]},"history":[{"created_by":"kedge base-image.sh: busybox-static and the runtime libraries from Debian"},{"created_by":"kedge base-image.sh: jlink %s"}]}' \
  "$arch" "$d_os" "$d_jre" "$MODULES" > "$W/config.json"
printf '[{"Config":"config.json","RepoTags":["kedge/base:local"],"Layers":["os.tar","jre.tar"]}]' > "$W/manifest.json"
mkdir -p "$(dirname "$OUT")"
tar -C "$W" -cf "$OUT.tmp" manifest.json config.json os.tar jre.tar && mv "$OUT.tmp" "$OUT"
echo "base image $OUT: $(du -h "$OUT" | cut -f1) in $(( $(date +%s) - t0 )) s ($(wc -l < "$OS/usr/share/kedge/base-packages.txt") Debian packages)"
