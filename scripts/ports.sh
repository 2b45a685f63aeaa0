# Sourced by the scripts that start servers: a TCP port nothing listens on now.
free_port() {
    local candidate
    for candidate in $(seq $((20000 + RANDOM % 30000)) 59999); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}
