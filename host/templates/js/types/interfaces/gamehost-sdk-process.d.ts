/// <reference path="./gamehost-sdk-types.d.ts" />
declare module 'gamehost:sdk/process@0.1.0' {
  /**
   * Opens the guest's GameLift session with the host.
   * 
   * GameLift's InitSDK connects to an agent over a WebSocket; in Gamehost
   * the host is in-process, so this only marks the GameLift functions
   * usable and returns the ids GameLift would have passed in. Calling it
   * again after `destroy` reopens the session.
   */
  export function initSdk(): ServerParameters;
  /**
   * Declares the process ready to host game sessions.
   * 
   * The game server becomes Ready, exactly as with `lifecycle.ready`. The
   * callbacks GameLift takes here are the world's exports, and log files
   * are not needed: what the guest logs is kept per game session. May be
   * called once per process; a second call returns `failed-precondition`.
   */
  export function processReady(params: ProcessParameters): void;
  /**
   * Declares the process finished: the game session in progress is
   * terminated, the game server becomes Shutdown, and the instance is
   * dropped when the current call returns.
   */
  export function processEnding(): void;
  /**
   * Returns when the host will end this process, in Unix epoch seconds,
   * once `on-process-terminate` has been called. Errors with
   * `failed-precondition` when no termination is scheduled.
   */
  export function getTerminationTime(): bigint;
  /**
   * Returns the SDK's version, for example `0.1.0`.
   */
  export function getSdkVersion(): string;
  /**
   * Returns the compute's certificate details. In a sandbox the only
   * meaningful part is the host name; the certificate path is empty.
   */
  export function getComputeCertificate(): ComputeCertificate;
  /**
   * Returns the credentials the operator configured on the fleet for this
   * role. Gamehost holds no cloud identity of its own, so it only hands out
   * what the fleet's template carries; an unknown role is `not-found`.
   */
  export function getFleetRoleCredentials(request: FleetRoleCredentialsRequest): FleetRoleCredentials;
  /**
   * Closes the guest's GameLift session: GameLift functions return
   * `not-initialized` until the next `init-sdk`. It does not end the
   * process; call `process-ending` first for that.
   */
  export function destroy(): void;
  export type SdkError = import('gamehost:sdk/types@0.1.0').SdkError;
  /**
   * What `init-sdk` tells the guest about where it runs.
   */
  export interface ServerParameters {
    /**
     * This process's id: the game server's name.
     */
    processId: string,
    /**
     * The host's id.
     */
    hostId: string,
    /**
     * The fleet's id.
     */
    fleetId: string,
  }
  /**
   * What `process-ready` declares about the process.
   */
  export interface ProcessParameters {
    /**
     * The port players connect to; 0 keeps the host's default port.
     */
    port: number,
  }
  /**
   * The compute's TLS certificate, as GameLift describes it.
   */
  export interface ComputeCertificate {
    /**
     * Always empty: a sandboxed game mode has no file system, and the
     * host terminates player traffic itself.
     */
    certificatePath: string,
    /**
     * The host's name.
     */
    hostName: string,
  }
  /**
   * Which credentials `get-fleet-role-credentials` should return.
   */
  export interface FleetRoleCredentialsRequest {
    /**
     * The role's ARN (or any name the operator used for it).
     */
    roleArn: string,
    /**
     * An optional session name; informational only.
     */
    roleSessionName?: string,
  }
  /**
   * Credentials an operator gave the fleet for the game mode's use.
   */
  export interface FleetRoleCredentials {
    /**
     * The role's user ARN.
     */
    assumedRoleUserArn: string,
    /**
     * The role's id.
     */
    assumedRoleId: string,
    /**
     * The access key id.
     */
    accessKeyId: string,
    /**
     * The secret access key.
     */
    secretAccessKey: string,
    /**
     * A session token.
     */
    sessionToken: string,
    /**
     * When the credentials expire, in Unix epoch seconds; 0 when they
     * do not.
     */
    expiration: bigint,
  }
}
