/** Reads the routing daemon's file `verify --routing` names (I/O kept out of the parser). */
import { readInputFile } from './load-config';
import { parseRoutingConfig, RoutingDaemonConfig } from './routing-parse';

export function loadRoutingConfig(path: string): RoutingDaemonConfig {
  return parseRoutingConfig(readInputFile(path), path);
}
