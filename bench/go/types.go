// Package bench holds Go structs written for the benchmark with the same shape as the Rust
// kinds Machine and NetworkConfiguration (vitistack-types/src/kinds), the way a Go operator
// declares them: TypeMeta/ObjectMeta embedded, optional fields as pointers with omitempty,
// metav1.Condition for conditions. Strings stay strings (as in the Rust types), so neither side
// parses quantities or IPs during conversion.
package bench

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ---- Machine ----

type Machine struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              MachineSpec    `json:"spec"`
	Status            *MachineStatus `json:"status,omitempty"`
}

type MachineSpec struct {
	ProviderRef     MachineProviderReference `json:"providerRef"`
	Resources       *MachineResources        `json:"resources,omitempty"`
	Storage         *MachineStorage          `json:"storage,omitempty"`
	Networking      *MachineNetworking       `json:"networking,omitempty"`
	OperatingSystem *OperatingSystem         `json:"operatingSystem,omitempty"`
	Boot            *BootConfiguration       `json:"boot,omitempty"`
	CloudInit       *CloudInit               `json:"cloudInit,omitempty"`
}

type MachineProviderReference struct {
	APIVersion *string `json:"apiVersion,omitempty"`
	Kind       *string `json:"kind,omitempty"`
	Name       string  `json:"name"`
	Namespace  *string `json:"namespace,omitempty"`
}

type MachineResources struct {
	CPU    *CPU    `json:"cpu,omitempty"`
	Memory *Memory `json:"memory,omitempty"`
	GPU    *GPU    `json:"gpu,omitempty"`
}

type CPU struct {
	Cores   *uint8 `json:"cores,omitempty"`
	Threads *uint8 `json:"threads,omitempty"`
	Sockets *uint8 `json:"sockets,omitempty"`
}

type Memory struct {
	Size string `json:"size"`
}

type GPU struct {
	Type  *string `json:"type,omitempty"`
	Count *uint32 `json:"count,omitempty"`
	Model *string `json:"model,omitempty"`
}

type MachineStorage struct {
	RootVolume  *RootVolume  `json:"rootVolume,omitempty"`
	DataVolumes []DataVolume `json:"dataVolumes,omitempty"`
}

type RootVolume struct {
	Size         *string `json:"size,omitempty"`
	StorageClass *string `json:"storageClass,omitempty"`
	Type         *string `json:"type,omitempty"`
}

type DataVolume struct {
	Name         string  `json:"name"`
	Size         *string `json:"size,omitempty"`
	StorageClass *string `json:"storageClass,omitempty"`
	MountPath    *string `json:"mountPath,omitempty"`
}

type MachineNetworking struct {
	Interfaces []MachineInterface `json:"interfaces,omitempty"`
}

type NamespacedName struct {
	Name      string  `json:"name"`
	Namespace *string `json:"namespace,omitempty"`
}

type MachineInterface struct {
	Name       string          `json:"name"`
	NetworkRef *NamespacedName `json:"networkRef,omitempty"`
	IPAddress  *string         `json:"ipAddress,omitempty"`
	MACAddress *string         `json:"macAddress,omitempty"`
}

type OsImage struct {
	Source *string `json:"source,omitempty"`
	URL    *string `json:"url,omitempty"`
}

type OperatingSystem struct {
	Type         *string  `json:"type,omitempty"`
	Distribution *string  `json:"distribution,omitempty"`
	Version      *string  `json:"version,omitempty"`
	Image        *OsImage `json:"image,omitempty"`
}

type Firmware struct {
	Type       *string `json:"type,omitempty"`
	SecureBoot *bool   `json:"secureBoot,omitempty"`
}

type BootConfiguration struct {
	Order    []string  `json:"order,omitempty"`
	Firmware *Firmware `json:"firmware,omitempty"`
}

type CloudInit struct {
	Enabled     *bool   `json:"enabled,omitempty"`
	UserData    *string `json:"userData,omitempty"`
	MetaData    *string `json:"metaData,omitempty"`
	NetworkData *string `json:"networkData,omitempty"`
}

type InterfaceStatus struct {
	Name        string   `json:"name"`
	MACAddress  *string  `json:"macAddress,omitempty"`
	IPAddresses []string `json:"ipAddresses,omitempty"`
	Ready       *bool    `json:"ready,omitempty"`
}

type NetworkStatus struct {
	Interfaces []InterfaceStatus `json:"interfaces,omitempty"`
}

type MachineAddresses struct {
	Internal []string `json:"internal,omitempty"`
	External []string `json:"external,omitempty"`
}

type MachineStatus struct {
	Phase          *string                `json:"phase,omitempty"`
	Conditions     []metav1.Condition     `json:"conditions,omitempty"`
	ProviderStatus map[string]interface{} `json:"providerStatus,omitempty"`
	NetworkStatus  *NetworkStatus         `json:"networkStatus,omitempty"`
	Addresses      *MachineAddresses      `json:"addresses,omitempty"`
}

// ---- NetworkConfiguration ----

type NetworkConfiguration struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              NetworkConfigurationSpec    `json:"spec"`
	Status            *NetworkConfigurationStatus `json:"status,omitempty"`
}

type NetworkConfigurationSpec struct {
	NetworkID string             `json:"networkId"`
	VLAN      *uint16            `json:"vlan,omitempty"`
	Bridge    *string            `json:"bridge,omitempty"`
	MTU       *uint16            `json:"mtu,omitempty"`
	IPAM      *NetworkIPAM       `json:"ipam,omitempty"`
	DHCP      *DHCPConfiguration `json:"dhcp,omitempty"`
	Security  *NetworkSecurity   `json:"security,omitempty"`
}

type DNSConfiguration struct {
	Servers       []string `json:"servers,omitempty"`
	SearchDomains []string `json:"searchDomains,omitempty"`
}

type NetworkIPAM struct {
	Type    string            `json:"type"`
	Subnet  *string           `json:"subnet,omitempty"`
	Gateway *string           `json:"gateway,omitempty"`
	DNS     *DNSConfiguration `json:"dns,omitempty"`
}

type DHCPConfiguration struct {
	Enabled      *bool             `json:"enabled,omitempty"`
	PoolStart    *string           `json:"poolStart,omitempty"`
	PoolEnd      *string           `json:"poolEnd,omitempty"`
	LeaseTime    *string           `json:"leaseTime,omitempty"`
	Reservations []DHCPReservation `json:"reservations,omitempty"`
}

type DHCPReservation struct {
	MACAddress string  `json:"macAddress"`
	IPAddress  string  `json:"ipAddress"`
	Hostname   *string `json:"hostname,omitempty"`
}

type NetworkSecurity struct {
	Isolation     *bool          `json:"isolation,omitempty"`
	FirewallRules []FirewallRule `json:"firewallRules,omitempty"`
}

type FirewallRule struct {
	Direction   string  `json:"direction"`
	Protocol    string  `json:"protocol"`
	Port        *string `json:"port,omitempty"`
	Source      *string `json:"source,omitempty"`
	Destination *string `json:"destination,omitempty"`
	Action      string  `json:"action"`
}

type NetworkConfigurationStatus struct {
	Ready             *bool    `json:"ready,omitempty"`
	AllocatedIPs      []string `json:"allocatedIPs,omitempty"`
	ConnectedMachines []string `json:"connectedMachines,omitempty"`
}
