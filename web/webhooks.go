package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/webhook"
)

// DeliveryLog is the webhook delivery log the operator reads
// (webhook.Log).
type DeliveryLog interface {
	Get(ctx context.Context, eventID string) (webhook.Delivery, error)
	List(ctx context.Context, limit int) ([]webhook.Delivery, error)
}

// Operator routes of the delivery log, under /api/v1.
const (
	PathWebhookEvents = "/api/v1/webhooks/events"
	maxListedEvents   = 500
)

type deliveryList struct {
	Events []webhook.Delivery `json:"events"`
}

// webhookRoutes serves the delivery log to whoever holds the operator
// key; without a log or a key the routes do not exist.
func (h *Handler) webhookRoutes(api *echo.Group, log DeliveryLog, operatorKey string) {
	if log == nil || operatorKey == "" {
		return
	}
	want := sha256.Sum256([]byte(operatorKey))
	auth := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			scheme, token, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
			got := sha256.Sum256([]byte(strings.TrimSpace(token)))
			// Hashes first: the comparison takes as long whatever the length.
			if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
				return oauth.New(oauth.Unauthorized, "", "the operator key is required")
			}
			c.Response().Header().Set("Cache-Control", "no-store")
			return next(c)
		}
	}
	api.GET("/webhooks/events", func(c echo.Context) error {
		limit := 50
		if q := c.QueryParam("limit"); q != "" {
			n, err := strconv.Atoi(q)
			if err != nil || n < 1 || n > maxListedEvents {
				return badRequest("limit must be 1 to " + strconv.Itoa(maxListedEvents))
			}
			limit = n
		}
		ds, err := log.List(c.Request().Context(), limit)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, deliveryList{Events: ds})
	}, auth)
	api.GET("/webhooks/events/:id", func(c echo.Context) error {
		d, err := log.Get(c.Request().Context(), c.Param("id"))
		if errors.Is(err, webhook.ErrNotFound) {
			return oauth.New(oauth.NotFound, "", "no delivery of this event is logged")
		}
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, d)
	}, auth)
}
