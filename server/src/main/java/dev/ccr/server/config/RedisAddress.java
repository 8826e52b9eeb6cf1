package dev.ccr.server.config;

/**
 * Where the team's Redis is, from {@code shared.redis}. The password is a {@link Secret}; {@link #toString()} and
 * {@link #display()} never show it.
 *
 * @param tls {@code rediss://}: the connection is encrypted and the server's certificate checked
 * @param user the ACL user, or {@code null} for Redis's {@code default} user
 * @param password the password, or {@code null} for none
 * @param database the logical database ({@code SELECT}), 0 unless the URL's path names another
 */
public record RedisAddress(boolean tls, String host, int port, int database, String user, Secret password) {

    /** The address as it may be shown and logged: the password is replaced by {@code ***}. */
    public String display() {
        StringBuilder out = new StringBuilder(tls ? "rediss://" : "redis://");
        if (user != null || password != null) {
            out.append(user == null ? "" : user);
            if (password != null) {
                out.append(":***");
            }
            out.append('@');
        }
        out.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port);
        if (database != 0) {
            out.append('/').append(database);
        }
        return out.toString();
    }

    /**
     * The URL without credentials, as the Redis client takes it (they are passed on their own). Database 0 is left out,
     * so no {@code SELECT} is sent: an ACL user need not be allowed it.
     */
    public String connectionString() {
        return (tls ? "rediss://" : "redis://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port
                + (database == 0 ? "" : "/" + database);
    }

    @Override
    public String toString() {
        return display();
    }
}
