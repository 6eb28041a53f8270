// `npm run check-config [-- <file>]`: validates a configuration file and prints what the server would
// trust, without starting it. Exit code 0 valid, 1 invalid, 2 no file to check.
// npm runs scripts from the package root; INIT_CWD is where the operator typed the command, so a relative path means what they meant.
import { services } from '../../hooks/index.js';
import { withDashboardClient } from '../analytics/dashboard-client.js';
import { withServiceApps } from '../cds/service-apps.js';
import { checkConfig } from '../config/check-config.js';

const result = checkConfig(process.argv.slice(2), process.env, process.env.INIT_CWD ?? process.cwd(), (config) =>
  // What AppModule adds: the apps the services ship and the analytics dashboard.
  withDashboardClient(withServiceApps(config, services)),
);
(result.code === 0 ? console.log : console.error)(result.lines.join('\n'));
process.exitCode = result.code;
