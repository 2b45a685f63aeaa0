# Sourced by the scripts that start servers: a TCP port nothing listens on now, below the
# kernel's range of ephemeral ports (from /proc/sys/net/ipv4/ip_local_port_range, usually
# 32768-60999), so that no outgoing connection can be holding it as its local port when a
# server binds it.
free_port() {
    local candidate low=32768
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
    [ "$low" -gt 11000 ] || low=32768
    for candidate in $(seq $((10000 + RANDOM % (low - 11000))) $((low - 1))); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}
