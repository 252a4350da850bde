// Every environment variable the product reads, named in one place.

export const envNames = {
  home: 'AURA_HOME',
  databaseUrl: 'DATABASE_URL',
  auditKey: 'AURA_AUDIT_KEY',
  auditKeyFile: 'AURA_AUDIT_KEY_FILE',
  host: 'AURA_HOST',
  apiPort: 'AURA_API_PORT',
  mcpPort: 'AURA_MCP_PORT',
  mcpTools: 'AURA_MCP_TOOLS',
  mcpToken: 'AURA_MCP_TOKEN',
  mcpAllowedOrigins: 'AURA_MCP_ALLOWED_ORIGINS',
  uiPort: 'AURA_UI_PORT',
  logLevel: 'AURA_LOG_LEVEL',
  maxModelContainers: 'AURA_MAX_MODEL_CONTAINERS',
  retentionDays: 'AURA_RETENTION_DAYS',
  reviewThreshold: 'AURA_REVIEW_THRESHOLD',
  dockerHost: 'DOCKER_HOST',
  workerImage: 'AURA_WORKER_IMAGE',
  containerEgressNetwork: 'AURA_CONTAINER_EGRESS_NETWORK',
  recording: 'AURA_RECORDING',
} as const;
