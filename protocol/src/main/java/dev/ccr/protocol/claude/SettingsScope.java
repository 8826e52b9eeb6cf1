package dev.ccr.protocol.claude;

/** Claude Code's settings files, from the one that wins to the one that loses. */
public enum SettingsScope {
    /** Managed settings, installed by an administrator. */
    MANAGED,
    /** A project's {@code .claude/settings.local.json}. */
    LOCAL,
    /** A project's {@code .claude/settings.json}. */
    PROJECT,
    /** The user's {@code settings.json}, where the router writes. */
    USER
}
