package dev.weft.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Single sign-on's settings as the environment gives them, and the claim-to-role and domain rules they make. */
class OidcConfigTest {

    static final Map<String, String> KEYCLOAK = Map.of(
            "WEFT_OIDC_ISSUER", "https://sso.example.com/realms/acme/",
            "WEFT_OIDC_CLIENT_ID", "weft",
            "WEFT_OIDC_CLIENT_SECRET", "s3cret",
            "WEFT_OIDC_ALLOWED_DOMAINS", "Example.com, @acme.io",
            "WEFT_OIDC_ROLES_CLAIM", "realm_access.roles",
            "WEFT_OIDC_ROLE_MAP", "weft-admin=owner, weft-dev=Editor,ops=runner",
            "WEFT_OIDC_LABEL", "Acme Keycloak");

    @Test
    void no_issuer_means_off_and_a_full_environment_is_read_into_one_record() {
        assertThat(OidcConfig.fromEnvironment(Map.of()).enabled()).isFalse();
        assertThat(OidcConfig.fromEnvironment(Map.of("WEFT_OIDC_CLIENT_ID", "x"))).isEqualTo(OidcConfig.OFF);
        OidcConfig config = OidcConfig.fromEnvironment(KEYCLOAK);
        assertThat(config.enabled()).isTrue();
        assertThat(config.issuer()).isEqualTo(URI.create("https://sso.example.com/realms/acme"));
        assertThat(config.allowedDomains()).containsExactly("example.com", "acme.io");
        assertThat(config.roleMap()).containsEntry("weft-admin", MemberRole.OWNER).containsEntry("weft-dev", MemberRole.EDITOR)
                .containsEntry("ops", MemberRole.RUNNER);
        assertThat(config.defaultRole()).isEqualTo(MemberRole.VIEWER);
        assertThat(config.label()).isEqualTo("Acme Keycloak");
        assertThat(config.scopes()).containsExactly("openid", "email", "profile");
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void a_setting_that_is_not_understood_is_refused_naming_its_variable() {
        assertThatThrownBy(() -> OidcConfig.fromEnvironment(Map.of("WEFT_OIDC_ISSUER", "https://idp")))
                .hasMessageContaining("WEFT_OIDC_CLIENT_ID");
        assertThatThrownBy(() -> OidcConfig.fromEnvironment(Map.of("WEFT_OIDC_ISSUER", "ftp://idp", "WEFT_OIDC_CLIENT_ID", "w")))
                .hasMessageContaining("WEFT_OIDC_ISSUER");
        assertThatThrownBy(() -> OidcConfig.fromEnvironment(Map.of("WEFT_OIDC_ISSUER", "https://idp", "WEFT_OIDC_CLIENT_ID", "w",
                "WEFT_OIDC_ROLE_MAP", "admins=boss"))).hasMessageContaining("WEFT_OIDC_ROLE_MAP").hasMessageContaining("boss");
        assertThatThrownBy(() -> OidcConfig.fromEnvironment(Map.of("WEFT_OIDC_ISSUER", "https://idp", "WEFT_OIDC_CLIENT_ID", "w",
                "WEFT_OIDC_ROLE_MAP", "admins"))).hasMessageContaining("value=role");
        assertThatThrownBy(() -> OidcConfig.fromEnvironment(Map.of("WEFT_OIDC_ISSUER", "https://idp", "WEFT_OIDC_CLIENT_ID", "w",
                "WEFT_OIDC_DEFAULT_ROLE", "admin"))).hasMessageContaining("WEFT_OIDC_DEFAULT_ROLE");
        assertThatThrownBy(() -> OidcConfig.fromEnvironment(Map.of("WEFT_OIDC_ISSUER", "https://idp", "WEFT_OIDC_CLIENT_ID", "w",
                "WEFT_OIDC_SCOPES", "email profile"))).hasMessageContaining("openid");
    }

    @Test
    void the_highest_mapped_value_of_a_nested_roles_claim_wins_else_the_default_or_none() {
        OidcConfig config = OidcConfig.fromEnvironment(KEYCLOAK);
        Map<String, Object> claims = Map.of("realm_access", Map.of("roles", List.of("ops", "weft-dev", "offline_access")));
        assertThat(config.roleFor(claims)).isEqualTo(MemberRole.EDITOR);
        assertThat(config.roleFor(Map.of("realm_access", Map.of("roles", List.of("x"))))).isEqualTo(MemberRole.VIEWER);
        assertThat(config.roleFor(Map.of())).isEqualTo(MemberRole.VIEWER);
        Map<String, String> strict = new java.util.HashMap<>(KEYCLOAK);
        strict.put("WEFT_OIDC_DEFAULT_ROLE", "none");
        strict.put("WEFT_OIDC_ROLES_CLAIM", "groups");
        OidcConfig none = OidcConfig.fromEnvironment(strict);
        assertThat(none.roleFor(Map.of("groups", "weft-admin"))).isEqualTo(MemberRole.OWNER);
        assertThat(none.roleFor(Map.of("groups", List.of("sales")))).isNull();
    }

    @Test
    void only_the_listed_email_domains_may_sign_in_and_none_listed_means_any() {
        OidcConfig config = OidcConfig.fromEnvironment(KEYCLOAK);
        assertThat(config.allows("sam@example.com")).isTrue();
        assertThat(config.allows("sam@acme.io")).isTrue();
        assertThat(config.allows("sam@mail.example.com")).isFalse();
        assertThat(config.allows("sam@example.com.evil.org")).isFalse();
        assertThat(OidcConfig.fromEnvironment(Map.of("WEFT_OIDC_ISSUER", "https://idp", "WEFT_OIDC_CLIENT_ID", "w"))
                .allows("anyone@anywhere.org")).isTrue();
    }
}
