package dev.weft.auth;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Single sign-on through an OpenID Connect provider, read once from the environment; off when no issuer is set.
 *
 * @param issuer         the provider's issuer URL ({@value #ISSUER_ENV}); its {@code .well-known/openid-configuration}
 *                       says the rest; null: single sign-on is off
 * @param clientId       Weft's client id at the provider ({@value #CLIENT_ID_ENV})
 * @param clientSecret   its secret ({@value #CLIENT_SECRET_ENV}); null: a public client (PKCE alone)
 * @param redirectBase   where the provider sends browsers back ({@value #REDIRECT_BASE_ENV}, such as
 *                       {@code https://weft.example.com}); null: {@code WEFT_PUBLIC_URL}, else the address the browser used
 * @param allowedDomains the email domains that may sign in ({@value #ALLOWED_DOMAINS_ENV}, comma separated); empty: any
 * @param rolesClaim     the ID token claim holding the person's groups or roles ({@value #ROLES_CLAIM_ENV}; a dotted
 *                       path such as {@code realm_access.roles} reaches into objects); null: roles are not mapped
 * @param roleMap        claim value to role ({@value #ROLE_MAP_ENV}: {@code weft-admins=owner,devs=editor})
 * @param defaultRole    the role of a person no claim value maps ({@value #DEFAULT_ROLE_ENV}, default viewer; null:
 *                       such a person is refused ({@code none}))
 * @param label          the sign-in button's words after "Sign in with" ({@value #LABEL_ENV}, default "single sign-on")
 * @param scopes         the scopes asked for ({@value #SCOPES_ENV}, default {@code openid email profile})
 */
public record OidcConfig(URI issuer, String clientId, String clientSecret, String redirectBase,
                         List<String> allowedDomains, String rolesClaim, Map<String, MemberRole> roleMap,
                         MemberRole defaultRole, String label, List<String> scopes) {

    public static final String ISSUER_ENV = "WEFT_OIDC_ISSUER";
    public static final String CLIENT_ID_ENV = "WEFT_OIDC_CLIENT_ID";
    public static final String CLIENT_SECRET_ENV = "WEFT_OIDC_CLIENT_SECRET";
    public static final String REDIRECT_BASE_ENV = "WEFT_OIDC_REDIRECT_BASE";
    public static final String ALLOWED_DOMAINS_ENV = "WEFT_OIDC_ALLOWED_DOMAINS";
    public static final String ROLES_CLAIM_ENV = "WEFT_OIDC_ROLES_CLAIM";
    public static final String ROLE_MAP_ENV = "WEFT_OIDC_ROLE_MAP";
    public static final String DEFAULT_ROLE_ENV = "WEFT_OIDC_DEFAULT_ROLE";
    public static final String LABEL_ENV = "WEFT_OIDC_LABEL";
    public static final String SCOPES_ENV = "WEFT_OIDC_SCOPES";
    public static final String LABEL_DEFAULT = "single sign-on";
    public static final List<String> SCOPES_DEFAULT = List.of("openid", "email", "profile");
    /** Single sign-on off. */
    public static final OidcConfig OFF = new OidcConfig(null, null, null, null, List.of(), null, Map.of(),
            MemberRole.VIEWER, LABEL_DEFAULT, SCOPES_DEFAULT);

    public OidcConfig {
        allowedDomains = allowedDomains == null ? List.of()
                : allowedDomains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT).replaceFirst("^@", ""))
                .filter(d -> !d.isEmpty()).toList();
        roleMap = roleMap == null ? Map.of() : Map.copyOf(roleMap);
        if (label == null || label.isBlank()) label = LABEL_DEFAULT;
        scopes = scopes == null || scopes.isEmpty() ? SCOPES_DEFAULT : List.copyOf(scopes);
        if (rolesClaim != null && rolesClaim.isBlank()) rolesClaim = null;
        if (issuer != null) {
            if (issuer.getScheme() == null || issuer.getHost() == null || !issuer.getScheme().matches("https?")) {
                throw new IllegalArgumentException(ISSUER_ENV + " must be an absolute http(s) URL such as "
                        + "https://accounts.google.com (got " + issuer + ")");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException(CLIENT_ID_ENV + " is required when " + ISSUER_ENV + " is set");
            }
            if (!scopes.contains("openid")) {
                throw new IllegalArgumentException(SCOPES_ENV + " must include openid (got " + String.join(" ", scopes) + ")");
            }
        }
        if (redirectBase != null) {
            URI base = URI.create(redirectBase);
            if (base.getScheme() == null || base.getHost() == null || !base.getScheme().matches("https?")) {
                throw new IllegalArgumentException(REDIRECT_BASE_ENV + " must be an absolute http(s) URL such as "
                        + "https://weft.example.com (got " + redirectBase + ")");
            }
            redirectBase = redirectBase.replaceAll("/+$", "");
        }
    }

    /** Whether single sign-on is on (an issuer is set). */
    public boolean enabled() {
        return issuer != null;
    }

    /**
     * The configuration in {@code env}; {@link #OFF} without {@value #ISSUER_ENV}.
     *
     * @throws IllegalArgumentException naming the variable whose value is not understood
     */
    public static OidcConfig fromEnvironment(Map<String, String> env) {
        String issuer = value(env, ISSUER_ENV);
        if (issuer == null) return OFF;
        URI uri;
        try {
            uri = URI.create(issuer.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ISSUER_ENV + " is not a URL (got " + issuer + ")", e);
        }
        String defaultRole = value(env, DEFAULT_ROLE_ENV);
        return new OidcConfig(uri, value(env, CLIENT_ID_ENV), value(env, CLIENT_SECRET_ENV), value(env, REDIRECT_BASE_ENV),
                list(value(env, ALLOWED_DOMAINS_ENV), ","), value(env, ROLES_CLAIM_ENV), roleMap(value(env, ROLE_MAP_ENV)),
                defaultRole == null ? MemberRole.VIEWER : defaultRole.equalsIgnoreCase("none") ? null
                        : role(defaultRole, DEFAULT_ROLE_ENV),
                value(env, LABEL_ENV), list(value(env, SCOPES_ENV), "[ ,]"));
    }

    /** {@code weft-admins=owner,devs=editor}: claim value to role; the last word after '=' is the role. */
    static Map<String, MemberRole> roleMap(String text) {
        Map<String, MemberRole> map = new LinkedHashMap<>();
        for (String pair : list(text, ",")) {
            int eq = pair.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(ROLE_MAP_ENV + " must be value=role pairs separated by commas, such as "
                        + "weft-admins=owner,devs=editor (got '" + pair + "')");
            }
            map.put(pair.substring(0, eq).trim(), role(pair.substring(eq + 1), ROLE_MAP_ENV));
        }
        return map;
    }

    private static MemberRole role(String word, String variable) {
        MemberRole role = MemberRole.of(word.trim().toLowerCase(Locale.ROOT));
        if (role == null) {
            throw new IllegalArgumentException(variable + ": '" + word.trim() + "' is not a role (owner, editor, runner, viewer)");
        }
        return role;
    }

    private static List<String> list(String text, String separator) {
        return text == null ? List.of() : Arrays.stream(text.split(separator)).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Whether {@code email}'s domain may sign in (any when no domain is listed). */
    public boolean allows(String email) {
        if (allowedDomains.isEmpty()) return true;
        String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        return allowedDomains.contains(domain);
    }

    /**
     * The role the ID token's {@code claims} give: the highest role any value of {@link #rolesClaim} maps to, else
     * the default role; null when nothing maps and the default is {@code none}.
     */
    public MemberRole roleFor(Map<String, Object> claims) {
        MemberRole best = null;
        for (String value : claimValues(claims)) {
            MemberRole role = roleMap.get(value);
            if (role != null && (best == null || role.ordinal() > best.ordinal())) best = role;
        }
        return best != null ? best : defaultRole;
    }

    /** The values of {@link #rolesClaim} in {@code claims}: a string, or a list of them, maybe inside objects. */
    List<String> claimValues(Map<String, Object> claims) {
        if (rolesClaim == null) return List.of();
        Object at = claims;
        for (String step : rolesClaim.split("\\.")) {
            at = at instanceof Map<?, ?> map ? map.get(step) : null;
        }
        if (at instanceof String text) return List.of(text);
        if (at instanceof List<?> values) return values.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        return List.of();
    }

    /** The same configuration with another issuer, client and secret (tests point it at their own provider). */
    public OidcConfig withClient(URI issuer, String clientId, String clientSecret) {
        return new OidcConfig(issuer, clientId, clientSecret, redirectBase, allowedDomains, rolesClaim, roleMap,
                defaultRole, label, scopes);
    }

    @Override
    public String toString() {   // the secret stays out of logs
        return "OidcConfig[issuer=" + issuer + ", clientId=" + clientId + ", allowedDomains=" + allowedDomains
                + ", rolesClaim=" + rolesClaim + ", roleMap=" + roleMap + ", defaultRole=" + defaultRole + "]";
    }
}
