/**
 * The ten example payloads of the wire contract (§6), as the server sends them.
 */

export const createRequest = {
  "customer": {
    "external_id": "5eb02857-a71e-4ea2-bcf9-57d3a41bc6ba",
    "billing_entity_code": "acme_corp",
    "name": "Gavin Belson",
    "firstname": "Gavin",
    "lastname": "Belson",
    "customer_type": "company",
    "email": "dinesh@piedpiper.test",
    "address_line1": "5230 Penfield Ave",
    "address_line2": null,
    "city": "Woodland Hills",
    "state": "CA",
    "zipcode": "91364",
    "country": "US",
    "currency": "USD",
    "legal_name": "Coleman-Blair",
    "legal_number": "49-008-2965",
    "tax_identification_number": "EU123456789",
    "logo_url": "http://hooli.com/logo.png",
    "url": "http://hooli.com",
    "phone": "1-171-883-3711 x245",
    "timezone": "America/Los_Angeles",
    "net_payment_term": 30,
    "finalize_zero_amount_invoice": "inherit",
    "billing_configuration": {
      "invoice_grace_period": 3,
      "payment_provider": "stripe",
      "payment_provider_code": "stripe-eu-1",
      "provider_customer_id": "cus_12345",
      "sync": true,
      "sync_with_provider": true,
      "document_locale": "fr",
      "provider_payment_methods": [
        "card",
        "sepa_debit"
      ]
    },
    "shipping_address": {
      "address_line1": "5230 Penfield Ave",
      "address_line2": null,
      "city": "Woodland Hills",
      "state": "CA",
      "zipcode": "91364",
      "country": "US"
    },
    "metadata": [
      {
        "key": "Purchase Order",
        "value": "123456789",
        "display_in_invoice": true
      }
    ],
    "tax_codes": [
      "french_standard_vat"
    ],
    "integration_customers": [
      {
        "integration_type": "netsuite",
        "integration_code": "netsuite-eu-1",
        "sync_with_provider": true,
        "subsidiary_id": "2"
      }
    ],
    "invoice_custom_section_codes": [
      "eu_bank_details"
    ]
  }
} as const

export const customerResponse = {
  "customer": {
    "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90",
    "billing_entity_code": "acme_corp",
    "external_id": "5eb02857-a71e-4ea2-bcf9-57d3a41bc6ba",
    "account_type": "customer",
    "name": "Gavin Belson",
    "firstname": "Gavin",
    "lastname": "Belson",
    "customer_type": "company",
    "sequential_id": 1,
    "slug": "LAG-1234-001",
    "created_at": "2022-04-29T08:59:51Z",
    "updated_at": "2022-04-29T08:59:51Z",
    "country": "US",
    "address_line1": "5230 Penfield Ave",
    "address_line2": null,
    "state": "CA",
    "zipcode": "91364",
    "email": "dinesh@piedpiper.test",
    "city": "Woodland Hills",
    "url": "http://hooli.com",
    "phone": "1-171-883-3711 x245",
    "logo_url": "http://hooli.com/logo.png",
    "legal_name": "Coleman-Blair",
    "legal_number": "49-008-2965",
    "currency": "USD",
    "tax_identification_number": "EU123456789",
    "timezone": "America/Los_Angeles",
    "applicable_timezone": "America/Los_Angeles",
    "net_payment_term": 30,
    "external_salesforce_id": null,
    "finalize_zero_amount_invoice": "inherit",
    "billing_configuration": {
      "invoice_grace_period": 3,
      "payment_provider": "stripe",
      "payment_provider_code": "stripe-eu-1",
      "document_locale": "fr",
      "subscription_invoice_issuing_date_anchor": null,
      "subscription_invoice_issuing_date_adjustment": null,
      "provider_customer_id": "cus_12345",
      "provider_payment_methods": [
        "card",
        "sepa_debit"
      ]
    },
    "shipping_address": {
      "address_line1": "5230 Penfield Ave",
      "address_line2": null,
      "city": "Woodland Hills",
      "zipcode": "91364",
      "state": "CA",
      "country": "US"
    },
    "skip_invoice_custom_sections": false,
    "metadata": [
      {
        "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90",
        "key": "Purchase Order",
        "value": "123456789",
        "display_in_invoice": true,
        "created_at": "2022-04-29T08:59:51Z"
      }
    ],
    "taxes": [
      {
        "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90",
        "name": "TVA",
        "code": "french_standard_vat",
        "rate": 20.0,
        "description": "French standard VAT",
        "applied_to_organization": true,
        "add_ons_count": 0,
        "customers_count": 0,
        "plans_count": 0,
        "charges_count": 0,
        "commitments_count": 0,
        "created_at": "2023-07-06T14:35:58Z"
      }
    ],
    "integration_customers": [
      {
        "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90",
        "external_customer_id": "cus_12345",
        "type": "netsuite",
        "integration_code": "netsuite-eu-1",
        "code": "netsuite-eu-1",
        "is_default": false,
        "category": "accounting",
        "sync_with_provider": true,
        "subsidiary_id": "2"
      }
    ],
    "applicable_invoice_custom_sections": [
      {
        "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90",
        "code": "eu_bank_details",
        "name": "EU Bank Details",
        "description": "This section contains the bank details for EU customers.",
        "details": "Bank Name: Lago Bank, IBAN: FR7630004000031234567890143",
        "display_name": "Bank Details:",
        "organization_id": "1a901a90-1a90-1a90-1a90-1a901a901a90"
      }
    ],
    "error_details": []
  }
} as const

export const customersPageResponse = {
  "customers": [
    {
      "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90",
      "billing_entity_code": "acme_corp",
      "external_id": "5eb02857-a71e-4ea2-bcf9-57d3a41bc6ba",
      "account_type": "customer",
      "name": "Gavin Belson",
      "firstname": "Gavin",
      "lastname": "Belson",
      "customer_type": "company",
      "sequential_id": 2,
      "slug": "LAG-1234-002",
      "created_at": "2022-04-29T08:59:51Z",
      "updated_at": "2022-04-29T08:59:51Z",
      "country": "US",
      "address_line1": "5230 Penfield Ave",
      "address_line2": null,
      "state": "CA",
      "zipcode": "91364",
      "email": "dinesh@piedpiper.test",
      "city": "Woodland Hills",
      "url": "http://hooli.com",
      "phone": "1-171-883-3711 x245",
      "logo_url": "http://hooli.com/logo.png",
      "legal_name": "Coleman-Blair",
      "legal_number": "49-008-2965",
      "currency": "USD",
      "tax_identification_number": "EU123456789",
      "timezone": "America/Los_Angeles",
      "applicable_timezone": "America/Los_Angeles",
      "net_payment_term": 30,
      "external_salesforce_id": null,
      "finalize_zero_amount_invoice": "inherit",
      "billing_configuration": {
        "invoice_grace_period": 3,
        "payment_provider": "stripe",
        "payment_provider_code": "stripe-eu-1",
        "document_locale": "fr",
        "subscription_invoice_issuing_date_anchor": null,
        "subscription_invoice_issuing_date_adjustment": null,
        "provider_customer_id": "cus_12345",
        "provider_payment_methods": [
          "card"
        ]
      },
      "shipping_address": {
        "address_line1": null,
        "address_line2": null,
        "city": null,
        "zipcode": null,
        "state": null,
        "country": null
      },
      "skip_invoice_custom_sections": false,
      "metadata": [],
      "taxes": [],
      "integration_customers": []
    },
    {
      "lago_id": "2b012b01-2b01-2b01-2b01-2b012b012b01",
      "billing_entity_code": "acme_corp",
      "external_id": "cust_0001",
      "account_type": "customer",
      "name": null,
      "firstname": null,
      "lastname": null,
      "customer_type": null,
      "sequential_id": 1,
      "slug": "LAG-1234-001",
      "created_at": "2022-04-28T10:00:00Z",
      "updated_at": "2022-04-28T10:00:00Z",
      "country": null,
      "address_line1": null,
      "address_line2": null,
      "state": null,
      "zipcode": null,
      "email": null,
      "city": null,
      "url": null,
      "phone": null,
      "logo_url": null,
      "legal_name": null,
      "legal_number": null,
      "currency": null,
      "tax_identification_number": null,
      "timezone": null,
      "applicable_timezone": "UTC",
      "net_payment_term": null,
      "external_salesforce_id": null,
      "finalize_zero_amount_invoice": "inherit",
      "billing_configuration": {
        "invoice_grace_period": null,
        "payment_provider": null,
        "payment_provider_code": null,
        "document_locale": null,
        "subscription_invoice_issuing_date_anchor": null,
        "subscription_invoice_issuing_date_adjustment": null
      },
      "shipping_address": {
        "address_line1": null,
        "address_line2": null,
        "city": null,
        "zipcode": null,
        "state": null,
        "country": null
      },
      "skip_invoice_custom_sections": false,
      "metadata": [],
      "taxes": [],
      "integration_customers": []
    }
  ],
  "meta": {
    "current_page": 1,
    "next_page": 2,
    "prev_page": null,
    "total_pages": 35,
    "total_count": 70
  }
} as const

export const customerUsageResponse = {
  "customer_usage": {
    "from_datetime": "2022-07-01T00:00:00Z",
    "to_datetime": "2022-07-31T23:59:59Z",
    "issuing_date": "2022-07-31",
    "currency": "EUR",
    "amount_cents": 5005,
    "total_amount_cents": 6006,
    "taxes_amount_cents": 1001,
    "lago_invoice_id": null,
    "charges_usage": [
      {
        "units": "4.0",
        "total_aggregated_units": "4.0",
        "events_count": 4,
        "amount_cents": 5,
        "amount_currency": "EUR",
        "pricing_unit_details": null,
        "charge": {
          "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90",
          "code": "api_calls",
          "charge_model": "graduated",
          "invoice_display_name": null
        },
        "billable_metric": {
          "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a91",
          "name": "API calls",
          "code": "api_calls",
          "aggregation_type": "count_agg"
        },
        "filters": [],
        "grouped_usage": [],
        "presentation_breakdowns": []
      },
      {
        "units": "4.0",
        "total_aggregated_units": "4.0",
        "events_count": 4,
        "amount_cents": 5000,
        "amount_currency": "EUR",
        "pricing_unit_details": null,
        "charge": {
          "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a92",
          "code": "cloud",
          "charge_model": "standard",
          "invoice_display_name": null
        },
        "billable_metric": {
          "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a93",
          "name": "Cloud",
          "code": "cloud",
          "aggregation_type": "count_agg"
        },
        "filters": [
          {
            "units": "3.0",
            "total_aggregated_units": "3.0",
            "events_count": 3,
            "amount_cents": 3000,
            "pricing_unit_details": null,
            "invoice_display_name": null,
            "values": {
              "cloud": [
                "aws"
              ]
            },
            "presentation_breakdowns": []
          },
          {
            "units": "1.0",
            "total_aggregated_units": "1.0",
            "events_count": 1,
            "amount_cents": 2000,
            "pricing_unit_details": null,
            "invoice_display_name": null,
            "values": {
              "cloud": [
                "google"
              ]
            },
            "presentation_breakdowns": []
          }
        ],
        "grouped_usage": [],
        "presentation_breakdowns": []
      }
    ]
  }
} as const

export const appliedCouponResponse = {
  "applied_coupon": {
    "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90",
    "lago_coupon_id": "1a901a90-1a90-1a90-1a90-1a901a901a91",
    "coupon_code": "startup_deal",
    "coupon_name": "Startup Deal",
    "coupon_description": null,
    "coupon_status": "active",
    "coupon_deleted_at": null,
    "lago_customer_id": "1a901a90-1a90-1a90-1a90-1a901a901a92",
    "external_customer_id": "5eb02857-a71e-4ea2-bcf9-57d3a41bc6ba",
    "status": "terminated",
    "amount_cents": 2000,
    "amount_cents_remaining": null,
    "amount_currency": "EUR",
    "percentage_rate": null,
    "frequency": "recurring",
    "frequency_duration": 3,
    "frequency_duration_remaining": 1,
    "expiration_at": null,
    "created_at": "2022-04-29T08:59:51Z",
    "terminated_at": "2022-05-29T08:59:51Z"
  }
} as const

export const portalUrlResponse = {
  "customer": {
    "portal_url": "https://app.lago.com/customer-portal/1234567890"
  }
} as const

export const unauthorizedBody = {
  "status": 401,
  "error": "Unauthorized"
} as const

export const notFoundBody = {
  "status": 404,
  "error": "Not Found",
  "code": "customer_not_found"
} as const

export const validationBody = {
  "status": 422,
  "error": "Unprocessable Entity",
  "code": "validation_errors",
  "error_details": {
    "currency": [
      "value_is_invalid"
    ],
    "external_id": [
      "value_is_mandatory"
    ]
  }
} as const

export const methodNotAllowedBody = {
  "status": 405,
  "error": "Method Not Allowed",
  "code": "no_active_subscription"
} as const
