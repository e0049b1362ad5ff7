/** On-prem endpoint configs from DescribeVpnConnections: the model, the converter and the renderers. */
export * from './model';
export { EndpointConfigError } from './errors';
export { endpointConfigFromDescribe } from './convert';
export type { ConvertOptions, PreSharedKeyResolver } from './convert';
export { renderJson, parseEndpointConfigJson } from './render-json';
export { renderTypeScript } from './render-typescript';
export type { TypeScriptRenderOptions } from './render-typescript';
export { renderSwanctl } from './render-swanctl';
export type { SwanctlRenderOptions } from './render-swanctl';
export { espSuitesOf, maxTcpMss, tunnelMtu } from './mtu';
export type { OuterPath } from './mtu';
export { validateEndpointConfig } from './validate';
export type { EndpointValidationOptions } from './validate';
