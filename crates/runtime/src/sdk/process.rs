//! `gamehost:sdk/process`: the GameLift server process.

use super::{SDK_VERSION, SdkCtx, SdkFunction};
use crate::bindings::process::{
    ComputeCertificate, FleetRoleCredentials, FleetRoleCredentialsRequest, Host, ProcessParameters,
    ServerParameters,
};
use crate::bindings::types::SdkError;

impl Host for SdkCtx {
    fn init_sdk(&mut self) -> Result<ServerParameters, SdkError> {
        self.calls.count(SdkFunction::InitSdk);
        let params = self.model.init_sdk();
        Ok(ServerParameters {
            process_id: params.process_id,
            host_id: params.host_id,
            fleet_id: params.fleet_id,
        })
    }

    fn process_ready(&mut self, params: ProcessParameters) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::ProcessReady);
        Ok(self.model.process_ready(params.port)?)
    }

    fn process_ending(&mut self) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::ProcessEnding);
        Ok(self.model.process_ending()?)
    }

    fn get_termination_time(&mut self) -> Result<i64, SdkError> {
        self.calls.count(SdkFunction::GetTerminationTime);
        Ok(self.model.termination_time()?.as_secs())
    }

    fn get_sdk_version(&mut self) -> String {
        self.calls.count(SdkFunction::GetSdkVersion);
        SDK_VERSION.to_owned()
    }

    fn get_compute_certificate(&mut self) -> Result<ComputeCertificate, SdkError> {
        self.calls.count(SdkFunction::GetComputeCertificate);
        let host_name = self.model.compute_host_name()?.to_owned();
        Ok(ComputeCertificate {
            certificate_path: String::new(),
            host_name,
        })
    }

    fn get_fleet_role_credentials(
        &mut self,
        request: FleetRoleCredentialsRequest,
    ) -> Result<FleetRoleCredentials, SdkError> {
        self.calls.count(SdkFunction::GetFleetRoleCredentials);
        let c = self.model.fleet_role_credentials(&request.role_arn)?;
        Ok(FleetRoleCredentials {
            assumed_role_user_arn: c.assumed_role_user_arn.clone(),
            assumed_role_id: c.assumed_role_id.clone(),
            access_key_id: c.access_key_id.clone(),
            secret_access_key: c.secret_access_key.clone(),
            session_token: c.session_token.clone(),
            expiration: c.expiration,
        })
    }

    fn destroy(&mut self) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::Destroy);
        Ok(self.model.destroy()?)
    }
}
