package main

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/issuer"
	issuerdemo "github.com/loginwithiota/verifier/issuer/demo"
	issuerhandler "github.com/loginwithiota/verifier/issuer/handler"
	issuermemory "github.com/loginwithiota/verifier/issuer/store/memory"
	issuerredis "github.com/loginwithiota/verifier/issuer/store/redis"
)

// mountDemoIssuer serves, with the demo website, a test OID4VCI issuer at
// /issuer (docs/issuer.md): the demo page offers "Get a test credential", so
// a newcomer can log in with a credential of their own within minutes. Its
// state lives on the session store's backend.
func (p *Program) mountDemoIssuer(bg context.Context, e *echo.Echo) error {
	var store issuer.Store
	if p.redis != nil {
		store = issuerredis.New(p.redis, issuerredis.Options{Prefix: p.cfg.Redis.KeyPrefix + "issuer:"})
	} else {
		m := issuermemory.New(issuermemory.Options{})
		go m.Run(bg, time.Minute)
		store = m
	}
	iss, err := issuerdemo.New(p.PublicURL+"/issuer", store, p.Log)
	if err != nil {
		// An issuer identifier must be https (http on loopback only): on a
		// public URL that is neither, the demo runs without its issuer
		// rather than not at all.
		p.Log.Warn("the demo's test issuer is off", "reason", err.Error())
		return nil
	}
	issuerhandler.Mount(e, iss, issuerhandler.Options{Demo: true, Logger: p.Log, MaxBodyBytes: 64 << 10})
	return nil
}
