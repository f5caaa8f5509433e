package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/oidcbridge"
	"github.com/loginwithiota/verifier/oidcbridge/oidcsetup"
	"github.com/loginwithiota/verifier/verifier"
)

// mountOIDC builds the OpenID Provider from the oidc section and mounts it
// on the router: websites log in with standard OpenID Connect, the login
// step being a verifiable presentation.
func (p *Program) mountOIDC(ctx context.Context, e *echo.Echo, v *verifier.Verifier, configPath string) error {
	// zitadel/oidc logs through slog's default logger, not an injected one.
	slog.SetDefault(p.Log)
	op, err := oidcsetup.New(ctx, p.cfg.OIDC, oidcsetup.Deps{
		PublicURL: p.PublicURL, ConfigDir: filepath.Dir(configPath), Sessions: v,
		Redis: p.redis, RedisPrefix: p.cfg.Redis.KeyPrefix, Logger: p.Log,
	})
	if err != nil {
		return fmt.Errorf("config %s: %w", configPath, err)
	}
	oidcbridge.Mount(e, op)
	return nil
}
