package dev.weft.auth;

import dev.weft.http.ApiException;
import dev.weft.store.JdbcUserStore;
import dev.weft.store.UserRecord;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * People's accounts: the first owner (made on the first visit, or carried over from the previous release's admin
 * password), checking a sign-in's email and password, and setting passwords. An unknown email costs the same hash
 * as a wrong password and gets the same answer, so neither timing nor status tells which emails exist.
 */
public final class Accounts {

    /**
     * The email of an owner carried over from the previous release's single admin password (which had no email),
     * and the account a sign-in without an email means; the owner may change it by inviting themselves properly.
     */
    public static final String PLACEHOLDER_EMAIL = "admin@localhost";
    public static final int EMAIL_MAX = 254;
    private static final Logger log = LoggerFactory.getLogger(Accounts.class);

    private final JdbcUserStore users;
    private final PasswordHasher hasher;

    public Accounts(JdbcUserStore users, PasswordHasher hasher) {
        this.users = users;
        this.hasher = hasher;
    }

    /**
     * Carries the previous release's admin password over once: when no user exists yet and {@code dataDir} holds an
     * {@code admin-password} file, its owner becomes the first owner ({@value #PLACEHOLDER_EMAIL}) with that same
     * hash, so they sign in with the password they had. The file is left in place and never read again.
     */
    public void upgrade(Path dataDir) {
        if (users.count() > 0) return;
        AdminPassword old = AdminPassword.load(dataDir, AdminPassword.ITERATIONS_DEFAULT);
        if (!old.isSet()) return;
        if (users.createFirstOwner(PLACEHOLDER_EMAIL, old.hash()) instanceof JdbcUserStore.Made) {
            log.info("the admin password of {} is now the password of the owner {}", dataDir, PLACEHOLDER_EMAIL);
        }
    }

    public boolean ownerExists() {
        return users.count() > 0;
    }

    public JdbcUserStore users() {
        return users;
    }

    public PasswordHasher hasher() {
        return hasher;
    }

    /** The first owner, made now; empty when some user exists already. */
    public Optional<UserRecord> createFirstOwner(String email, String password) {
        return users.createFirstOwner(email, hasher.hash(password)) instanceof JdbcUserStore.Made made
                ? Optional.of(made.user()) : Optional.empty();
    }

    /**
     * The enabled user with this email and password, or empty (unknown email, wrong password and disabled user
     * alike, each after one hash). An old-scheme hash that matched is replaced by a current one.
     */
    public Optional<UserRecord> verify(String email, String password) {
        UserRecord user = users.findByEmail(email).orElse(null);
        if (user == null) {
            hasher.spend(password);
            return Optional.empty();
        }
        if (!hasher.matches(password, user.passwordHash()) || user.disabled()) return Optional.empty();
        if (hasher.outdated(user.passwordHash())) users.rehash(user.id(), user.passwordHash(), hasher.hash(password));
        return Optional.of(user);
    }

    /** Sets a user's password and ends all their sessions. */
    public void setPassword(long userId, String password) {
        users.setPassword(userId, hasher.hash(password));
    }

    /** An email as stored (trimmed, lower case), or 400 naming {@code field}. */
    public static String email(String given, String field) {
        String email = given == null ? "" : given.trim().toLowerCase(Locale.ROOT);
        int at = email.indexOf('@');
        if (email.length() > EMAIL_MAX || at <= 0 || at != email.lastIndexOf('@') || at == email.length() - 1
                || email.chars().anyMatch(c -> c <= ' ')) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, field, "must be an email address (name@host)");
        }
        return email;
    }

    /** 400 naming {@code field} unless the password is acceptable. */
    public static void checkPassword(String password, String field) {
        String problem = AdminPassword.problem(password);
        if (problem != null) throw new ApiException(ApiException.Kind.INVALID_INPUT, field, problem);
    }
}
